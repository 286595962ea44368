package io.firstline.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.firstline.console.config.ConfigFileException;
import io.firstline.rules.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code notifications.yaml}: what it accepts, and mistakes named by file, line and option. */
class NotifyConfigTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            console_url: https://firstline.example.org/
            smtp:
              host: smtp.example.org
              security: starttls
              username: firstline
              password_file: smtp-password
              from: "Firstline <firstline@example.org>"
            email:
              - name: oncall
                to: [oncall@example.org, "Lead <lead@example.org>"]
                severities: [critical]
                sites: [hq, lab]
            """;

    private Notifications parse(String text) {
        return NotifyConfig.parse("notifications.yaml", text, dir);
    }

    private String error(String text) {
        return assertThrows(ConfigFileException.class, () -> parse(text)).getMessage();
    }

    @Test
    void readsSmtpAndRoutes() throws Exception {
        Files.writeString(dir.resolve("smtp-password"), "pw\n");
        Notifications n = parse(GOOD);
        SmtpSettings s = n.smtp().orElseThrow();
        assertEquals(587, s.port(), "the submission port is the default for STARTTLS");
        assertEquals(SmtpSettings.Security.STARTTLS, s.security());
        assertEquals("pw", s.currentPassword());
        assertEquals("https://firstline.example.org", n.consoleUrl());
        EmailTarget t = n.email().get(0);
        assertEquals(Set.of(Severity.CRITICAL), t.route().severities());
        assertEquals(Set.of("hq", "lab"), t.route().sites());
        assertEquals(465, parse("smtp: {host: h, security: tls, from: a@b.c}").smtp().orElseThrow().port());
    }

    @Test
    void mistakesNameFileLineAndOption() throws Exception {
        Files.writeString(dir.resolve("smtp-password"), "pw\n");
        assertEquals("notifications.yaml: line 2: option 'smtp.host': is required",
                error("email: []\nsmtp:\n  port: 25\n  from: a@b.c\n"));
        assertEquals("notifications.yaml: line 3: option 'smtp.port': must be from 1 to 65535, got 70000",
                error("smtp:\n  host: h\n  port: 70000\n  from: a@b.c\n"));
        assertEquals("notifications.yaml: line 3: option 'smtp.port': must be a whole number from 1 to 65535, got 'smtp'",
                error("smtp:\n  host: h\n  port: smtp\n  from: a@b.c\n"));
        assertEquals("notifications.yaml: line 11: option 'email[0].severities[0]': unknown severity 'critcal' (known: info,"
                + " warning, critical)", error(GOOD.replace("[critical]", "[critcal]")));
        assertEquals("notifications.yaml: line 4: option 'smtp.security': must be one of starttls, tls, none, got 'ssl'",
                error(GOOD.replace("starttls", "ssl")));
        assertEquals("notifications.yaml: line 10: option 'email[0].to[1]': 'Lead <lead@>' is not an e-mail address: Missing"
                + " domain", error(GOOD.replace("lead@example.org", "lead@")).replaceAll(" in string.*", ""));
        assertEquals("notifications.yaml: line 6: option 'smtp.password_file': cannot read " + dir.resolve("nope"),
                error(GOOD.replace("smtp-password", "nope")));
        assertEquals("notifications.yaml: line 4: option 'smtp.security': a login is never sent without encryption: use"
                + " starttls or tls with a username", error(GOOD.replace("starttls", "none")));
        assertEquals("notifications.yaml: line 1: option 'email': e-mail targets need an 'smtp:' section with the server to"
                + " send through", error("email:\n  - name: x\n    to: a@b.c\n"));
        assertEquals("notifications.yaml: line 10: option 'email[0].mail_to': unknown option (known: events, name, severities,"
                + " sites, to)", error(GOOD.replace("    to:", "    mail_to:")));
        assertEquals("notifications.yaml: line 3: option 'webhooks[1].name': the name 'a' is used by another target",
                error("webhooks:\n  - {name: a, url: 'http://x/'}\n  - {name: a, url: 'http://y/'}\n"));
        assertEquals("notifications.yaml: line 2: not valid YAML: mapping values are not allowed here",
                error("smtp:\n  host: h: x\n").replaceAll("(?s)(not allowed here).*", "$1"));
    }
}
