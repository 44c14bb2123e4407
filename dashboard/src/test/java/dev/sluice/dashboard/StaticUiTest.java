package dev.sluice.dashboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI's files keep the rules a strict Content-Security-Policy and attacker-controlled job data need: no
 * inline script, style or handler in the page, and no HTML parsing of strings in the scripts.
 */
class StaticUiTest {

    private static final List<String> SCRIPTS = List.of("app.js", "events.js", "api.js", "dom.js", "actions.js",
            "bulk.js", "cluster.js", "charts.js", "graph.js", "overview.js", "jobs.js", "job.js", "lists.js");

    private static String read(String name) throws IOException {
        try (InputStream in = StaticUiTest.class.getResourceAsStream("/dev/sluice/dashboard/ui/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pageHasNoInlineScriptStyleOrHandler() throws IOException {
        String html = read("index.html");

        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find()).isFalse();
        assertThat(html).doesNotContain("<style").doesNotContainPattern("\\sstyle=")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContain("javascript:");
    }

    @Test
    void scriptsNeverParseStringsAsHtml() throws IOException {
        for (String script : SCRIPTS) {
            String js = read(script);
            assertThat(js).as(script)
                    .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("new Function")
                    .doesNotContainPattern("\\.style\\s*=").doesNotContain("setAttribute('style'");
        }
    }
}
