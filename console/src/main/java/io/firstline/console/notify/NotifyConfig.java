package io.firstline.console.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.config.ConfigFileException;
import io.firstline.console.config.YamlOptions;
import io.firstline.rules.Severity;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code DATA/notifications.yaml} (optional; no file means no
 * notifications). Every mistake is a {@link ConfigFileException} naming the
 * file, the line and the option:
 * <pre>
 * console_url: https://firstline.example.org     # for links in e-mail
 * webhooks:
 *   - name: ops
 *     url: https://hooks.example.org/firstline
 *     format: generic            # or pagerduty (needs routing_key)
 *     severities: [critical]     # optional route: severities, sites, events
 * smtp:
 *   host: smtp.example.org
 *   port: 587                    # default: 587 starttls, 465 tls, 25 none
 *   security: starttls           # starttls | tls | none
 *   username: firstline
 *   password_file: smtp-password # relative to the data directory; or password:
 *   from: "Firstline &lt;firstline@example.org&gt;"
 *   timeout: 10s
 *   ca_file: smtp-ca.pem         # optional: trust these CAs instead of the system's
 * email:
 *   - name: oncall
 *     to: [oncall@example.org]
 *     severities: [critical, warning]
 *     sites: [hq]
 * </pre>
 */
public final class NotifyConfig {
    public static final String FILE_NAME = "notifications.yaml";
    private static final Set<String> TOP = Set.of("console_url", "webhooks", "smtp", "email");
    private static final Set<String> ROUTE = Set.of("severities", "sites", "events");
    private static final Set<String> WEBHOOK = union(Set.of("name", "url", "format", "routing_key"), ROUTE);
    private static final Set<String> EMAIL = union(Set.of("name", "to"), ROUTE);
    private static final Set<String> SMTP = Set.of("host", "port", "security", "username", "password", "password_file",
            "from", "timeout", "ca_file");

    private NotifyConfig() {
    }

    /** @throws ConfigFileException naming the file, line and option */
    public static Notifications load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Notifications.NONE;
        }
        try {
            return parse(file.toString(), Files.readString(file), dataDir);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    /** Parses {@code text}; relative paths in it are taken from {@code baseDir}. */
    public static Notifications parse(String name, String text, Path baseDir) {
        YamlOptions.Document doc = YamlOptions.parse(name, text);
        if (doc.empty()) {
            return Notifications.NONE;
        }
        JsonNode root = doc.root();
        YamlOptions o = doc.options();
        o.known(root, "", TOP);
        Set<String> names = new HashSet<>();
        List<WebhookTarget> hooks = new ArrayList<>();
        for (JsonNode h : items(o, root, "webhooks")) {
            String at = "webhooks[" + hooks.size() + "]";
            o.known(h, at, WEBHOOK);
            String targetName = name(o, h, at, names);
            WebhookTarget.Format format = format(o, h, at);
            String url = o.text(h, at, "url", null);
            try {
                hooks.add(new WebhookTarget(targetName, URI.create(url), format, o.text(h, at, "routing_key", ""), route(o, h, at)));
            } catch (IllegalArgumentException e) {
                throw o.fail(at, e.getMessage());
            }
        }
        Optional<SmtpSettings> smtp = root.has("smtp") ? Optional.of(smtp(o, root.get("smtp"), baseDir)) : Optional.empty();
        List<EmailTarget> email = new ArrayList<>();
        for (JsonNode m : items(o, root, "email")) {
            String at = "email[" + email.size() + "]";
            o.known(m, at, EMAIL);
            String targetName = name(o, m, at, names);
            List<String> to = o.list(m, at, "to");
            if (to.isEmpty()) {
                throw o.fail(at + ".to", "is required: at least one e-mail address");
            }
            for (int i = 0; i < to.size(); i++) {
                try {
                    EmailTarget.address(to.get(i));
                } catch (IllegalArgumentException e) {
                    throw o.fail(at + ".to[" + i + "]", e.getMessage());
                }
            }
            email.add(new EmailTarget(targetName, to, route(o, m, at)));
        }
        if (!email.isEmpty() && smtp.isEmpty()) {
            throw o.fail("email", "e-mail targets need an 'smtp:' section with the server to send through");
        }
        String consoleUrl = o.text(root, "", "console_url", "");
        if (!consoleUrl.isEmpty()) {
            URI u;
            try {
                u = URI.create(consoleUrl);
            } catch (IllegalArgumentException e) {
                throw o.fail("console_url", "not a URL: " + e.getMessage());
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw o.fail("console_url", "must be an http or https URL with a host, got '" + consoleUrl + "'");
            }
            consoleUrl = consoleUrl.replaceAll("/+$", "");
        }
        return new Notifications(hooks, email, smtp, consoleUrl);
    }

    private static List<JsonNode> items(YamlOptions o, JsonNode root, String field) {
        JsonNode list = root.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw o.fail(field, "must be a list of targets");
        }
        list.forEach(out::add);
        return out;
    }

    private static String name(YamlOptions o, JsonNode n, String at, Set<String> names) {
        String name = o.text(n, at, "name", null);
        if (!TargetNames.NAME.matcher(name).matches()) {
            throw o.fail(at + ".name", "must be lower case letters, digits, '-' or '_' (at most 32, starting with a letter), got '"
                    + name + "'");
        }
        if (!names.add(name)) {
            throw o.fail(at + ".name", "the name '" + name + "' is used by another target");
        }
        return name;
    }

    /** The format named in the file; the error lists the allowed names, not the enum's class. */
    private static WebhookTarget.Format format(YamlOptions o, JsonNode h, String at) {
        String text = o.text(h, at, "format", "generic");
        for (WebhookTarget.Format f : WebhookTarget.Format.values()) {
            if (f.name().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw o.fail(at + ".format", "format must be one of " + Arrays.stream(WebhookTarget.Format.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    private static Route route(YamlOptions o, JsonNode n, String at) {
        Set<Severity> severities = new LinkedHashSet<>();
        List<String> sev = o.list(n, at, "severities");
        for (int i = 0; i < sev.size(); i++) {
            try {
                severities.add(Severity.parse(sev.get(i)));
            } catch (IllegalArgumentException e) {
                throw o.fail(at + ".severities[" + i + "]", "unknown severity '" + sev.get(i) + "' (known: "
                        + Arrays.stream(Severity.values()).map(Severity::label).collect(Collectors.joining(", ")) + ")");
            }
        }
        List<String> events = o.list(n, at, "events");
        for (int i = 0; i < events.size(); i++) {
            if (!Route.EVENTS.contains(events.get(i))) {
                throw o.fail(at + ".events[" + i + "]", "unknown event '" + events.get(i) + "' (known: "
                        + String.join(", ", Route.EVENTS.stream().sorted().toList()) + ")");
            }
        }
        return new Route(severities, new LinkedHashSet<>(o.list(n, at, "sites")), new LinkedHashSet<>(events));
    }

    private static SmtpSettings smtp(YamlOptions o, JsonNode s, Path baseDir) {
        o.known(s, "smtp", SMTP);
        String host = o.text(s, "smtp", "host", null).strip();
        if (host.isEmpty() || host.contains(" ") || host.contains("/")) {
            throw o.fail("smtp.host", "must be a host name or address, got '" + host + "'");
        }
        String sec = o.text(s, "smtp", "security", "starttls");
        SmtpSettings.Security security = Arrays.stream(SmtpSettings.Security.values())
                .filter(v -> v.name().equalsIgnoreCase(sec)).findFirst()
                .orElseThrow(() -> o.fail("smtp.security", "must be one of starttls, tls, none, got '" + sec + "'"));
        int port = o.integer(s, "smtp", "port", security.defaultPort, 1, 65535);
        String username = o.text(s, "smtp", "username", "");
        String password = o.text(s, "smtp", "password", "");
        String passwordFileText = o.text(s, "smtp", "password_file", "");
        if (!password.isEmpty() && !passwordFileText.isEmpty()) {
            throw o.fail("smtp.password", "give either 'password' or 'password_file', not both");
        }
        Path passwordFile = null;
        if (!passwordFileText.isEmpty()) {
            passwordFile = baseDir.resolve(passwordFileText);
            if (!Files.isReadable(passwordFile)) {
                throw o.fail("smtp.password_file", "cannot read " + passwordFile);
            }
        }
        if (username.isEmpty() && (!password.isEmpty() || passwordFile != null)) {
            throw o.fail("smtp.username", "a password is given but no username");
        }
        if (!username.isEmpty() && password.isEmpty() && passwordFile == null) {
            throw o.fail("smtp", "a username needs 'password_file' (or 'password')");
        }
        if (!username.isEmpty() && security == SmtpSettings.Security.NONE) {
            throw o.fail("smtp.security", "a login is never sent without encryption: use starttls or tls with a username");
        }
        String from = o.text(s, "smtp", "from", null);
        try {
            EmailTarget.address(from);
        } catch (IllegalArgumentException e) {
            throw o.fail("smtp.from", e.getMessage());
        }
        Duration timeout = o.duration(s, "smtp", "timeout", Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw o.fail("smtp.timeout", "must be from 1s to 5m");
        }
        List<X509Certificate> cas = List.of();
        String caFile = o.text(s, "smtp", "ca_file", "");
        if (!caFile.isEmpty()) {
            Path f = baseDir.resolve(caFile);
            try {
                cas = SmtpSettings.readCertificates(f);
            } catch (IOException | GeneralSecurityException e) {
                throw o.fail("smtp.ca_file", "cannot read certificates from " + f + ": " + e.getMessage());
            }
        }
        return new SmtpSettings(host, port, security, username, password, passwordFile, from, timeout, cas);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
