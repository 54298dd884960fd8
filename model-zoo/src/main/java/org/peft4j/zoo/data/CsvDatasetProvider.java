package org.peft4j.zoo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.Extension;

/**
 * A user's labelled CSV files (RFC 4180, UTF-8, first record the header); see
 * {@link LabelledFileProvider} for splits, columns and labels. {@code delimiter} is one character,
 * or {@code tab} for tab-separated files with CSV quoting.
 */
@Extension
public final class CsvDatasetProvider extends LabelledFileProvider {

    static final HyperParameter<String> DELIMITER = HyperParameter.ofString("delimiter", ",",
            "The field delimiter: one character, or 'tab'.");

    @Override
    public String id() {
        return "csv";
    }

    @Override
    public String description() {
        return "Your own labelled CSV files with configurable text, pair and label columns.";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        List<HyperParameter<?>> all = new ArrayList<>(common());
        all.add(DELIMITER);
        return List.copyOf(all);
    }

    @Override
    protected List<RawExample> read(Path file, ColumnSpec columns, HyperParameters params) throws IOException {
        String d = params.get(DELIMITER);
        char delimiter;
        if (d.equalsIgnoreCase("tab") || d.equals("\t")) {
            delimiter = '\t';
        } else if (d.length() == 1 && d.charAt(0) != '"' && d.charAt(0) != '\n' && d.charAt(0) != '\r') {
            delimiter = d.charAt(0);
        } else {
            throw params.invalid(DELIMITER.key(), "expected one character other than a quote or line break, or 'tab'; got '" + d + "'");
        }
        return TableFiles.readCsv(file, columns, delimiter);
    }
}
