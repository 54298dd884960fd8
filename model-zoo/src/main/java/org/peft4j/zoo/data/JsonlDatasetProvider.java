package org.peft4j.zoo.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.peft4j.api.config.HyperParameter;
import org.peft4j.api.config.HyperParameters;
import org.pf4j.Extension;

/**
 * A user's labelled JSON-lines files (UTF-8, one object per line, the columns being keys); see
 * {@link LabelledFileProvider} for splits, columns and labels.
 */
@Extension
public final class JsonlDatasetProvider extends LabelledFileProvider {

    @Override
    public String id() {
        return "jsonl";
    }

    @Override
    public String description() {
        return "Your own labelled JSON-lines files with configurable text, pair and label keys.";
    }

    @Override
    public List<HyperParameter<?>> hyperParameters() {
        return common();
    }

    @Override
    protected List<RawExample> read(Path file, ColumnSpec columns, HyperParameters params) throws IOException {
        return TableFiles.readJsonl(file, columns);
    }
}
