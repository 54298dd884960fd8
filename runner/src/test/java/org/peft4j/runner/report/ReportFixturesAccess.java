package org.peft4j.runner.report;

import org.peft4j.runner.results.ComparisonResults;

/** Gives tests outside this package the hand-built comparison of {@link ReportFixtures}. */
public final class ReportFixturesAccess {

    private ReportFixturesAccess() {
    }

    /** The fixture comparison. */
    public static ComparisonResults comparison() {
        return ReportFixtures.comparison();
    }

    /** Its sst2 half, cheaper to render. */
    public static ComparisonResults small() {
        return ReportFixtures.small();
    }
}
