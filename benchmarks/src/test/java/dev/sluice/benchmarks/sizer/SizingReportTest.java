package dev.sluice.benchmarks.sizer;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizingReportTest {

    private final SizingReport report = SizingReport.of("com.example.Send<Invoice>", "jobs", List.of(
            Points.job(1, 198, 5.0, 5.3),
            Points.job(16, 3_150, 5.0, 5.6),
            Points.job(32, 3_190, 10.0, 11.0)), 0.01);

    @Test
    void csvRowsReadBackAsTheSamePoints() {
        String[] lines = report.csv().split("\n");

        assertThat(lines[0]).isEqualTo(SizingPoint.CSV_HEADER);
        assertThat(SizingPoint.fromCsvRow(lines[2]).concurrency()).isEqualTo(16);
        assertThat(SizingPoint.fromCsvRow(lines[2]).throughput()).isEqualTo(3_150);
        assertThat(SizingPoint.fromCsvRow(lines[2]).p99Millis()).isEqualTo(5.6);
    }

    @Test
    void aMalformedCsvRowIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> SizingPoint.fromCsvRow("1,2,3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1,2,3'");
    }

    @Test
    void tableMarksTheKneeAndStatesTheLittleCheck() {
        assertThat(report.table()).contains("<- knee").contains("Recommendation: concurrency 16")
                .contains("Little's law: agrees");
    }

    @Test
    void jsonCarriesPointsAndRecommendation() {
        assertThat(report.json()).contains("\"recommendation\"").contains("\"littleCheck\"")
                .contains("\"concurrency\" : 16").contains("\"errorRate\"");
    }

    @Test
    void svgIsWellFormedXmlWithBothCurvesAndTheKnee() throws Exception {
        String svg = report.svg();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(2);
        assertThat(svg).contains("knee: concurrency 16").contains("Send&lt;Invoice&gt;");
    }

    @Test
    void niceCeilingRoundsUpToOneTwoOrFive() {
        assertThat(SizerChart.niceCeiling(3_190)).isEqualTo(5_000);
        assertThat(SizerChart.niceCeiling(11)).isEqualTo(20);
        assertThat(SizerChart.niceCeiling(0.7)).isEqualTo(1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(SizerChart.niceCeiling(0)).isEqualTo(1);
    }
}
