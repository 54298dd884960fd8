/**
 * Reports of a comparison: the per-strategy summaries over seeds ({@link org.peft4j.runner.report.Summaries}), the
 * machine-readable {@code results.json} ({@link org.peft4j.runner.report.ResultsJson}), the Markdown and self-contained
 * HTML reports with their charts ({@link org.peft4j.runner.report.MarkdownReport},
 * {@link org.peft4j.runner.report.HtmlReport}, {@link org.peft4j.runner.report.ReportCharts}) and the writer that puts
 * them all in a comparison directory ({@link org.peft4j.runner.report.ReportWriter}).
 */
package org.peft4j.runner.report;
