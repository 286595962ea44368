package io.firstline.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.firstline.console.MutableClock;
import io.firstline.console.TestSupport;
import io.firstline.console.store.Sql;
import io.firstline.console.store.SqliteStore;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.AgentDirectory;
import io.firstline.console.tickets.ExternalTickets;
import io.firstline.console.tickets.TicketMetrics;
import io.firstline.console.tickets.TicketPolicy;
import io.firstline.console.tickets.TicketService;
import io.firstline.rules.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;

/**
 * E-mail through the outbox to real SMTP servers on 127.0.0.1: implicit TLS
 * and plain SMTP (GreenMail), STARTTLS (SubEtha SMTP), a login, a wrong
 * password and a server that is down (retried from the outbox until it
 * arrives, once), and routing by severity and site.
 */
class EmailDeliveryTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private final AtomicReference<Notifications> config = new AtomicReference<>(Notifications.NONE);
    private Store store;
    private TicketService tickets;
    private ExternalTickets byHand;
    private NotificationSender mail;
    private GreenMail greenMail;
    private SMTPServer subEtha;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(dir.resolve("smtp-password"), TestSmtp.PASSWORD + "\n");
        store = SqliteStore.open(dir);
        Map<String, String> sites = Map.of("a-hq", "hq", "a-lab", "lab");
        tickets = new TicketService(store, clock, TicketPolicy.defaults(),
                id -> new AgentDirectory.AgentFacts("pc-" + id, sites.getOrDefault(id, ""), "Linux", Set.of()),
                id -> Optional.empty(), new NotificationOutbox(config::get), new TicketMetrics(new SimpleMeterRegistry()));
        byHand = new ExternalTickets(tickets);
        mail = new NotificationSender(store, clock, config::get, NotifyTarget.Channel.EMAIL, Duration.ofSeconds(5),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        if (greenMail != null) {
            greenMail.stop();
        }
        if (subEtha != null) {
            subEtha.stop();
        }
        store.close();
    }

    private void configure(String smtp, String email) {
        config.set(NotifyConfig.parse("notifications.yaml", "console_url: https://firstline.example.org/\nsmtp:\n" + smtp
                + "\nemail:\n" + email, dir));
    }

    private static String smtp(int port, String security, String password) {
        return "  host: 127.0.0.1\n  port: " + port + "\n  security: " + security + "\n  username: " + TestSmtp.USER + "\n"
                + "  " + password + "\n  from: \"Firstline <" + TestSmtp.FROM + ">\"\n  timeout: 5s\n  ca_file: "
                + TestSmtp.caPem() + "\n";
    }

    private static final String ONE_TARGET = "  - name: oncall\n    to: [oncall@example.org]\n";

    private record Row(int attempts, boolean delivered, String error) {
    }

    private List<Row> rows() {
        return store.read(c -> Sql.list(c, "SELECT attempts, delivered_at_ms, last_error FROM notification_outbox ORDER BY id",
                rs -> new Row(rs.getInt(1), rs.getObject(2) != null, rs.getString(3))));
    }

    @Test
    void implicitTlsWithLoginDeliversTheTicketAsMail() throws Exception {
        int port = TestSupport.freePort();
        greenMail = TestSmtp.greenMail("smtps", port);
        configure(smtp(port, "tls", "password_file: smtp-password"), ONE_TARGET);
        long id = byHand.openByHand("Printer on fire", "Smoke from tray 2.", Severity.CRITICAL, "a-hq", "alice").id();

        assertEquals(1, mail.drain());
        MimeMessage[] got = greenMail.getReceivedMessages();
        assertEquals(1, got.length);
        MimeMessage m = got[0];
        assertEquals("[Firstline] CRITICAL opened: Printer on fire (#" + id + ", pc-a-hq)", m.getSubject());
        assertEquals("oncall@example.org", m.getAllRecipients()[0].toString());
        assertEquals("Firstline <" + TestSmtp.FROM + ">", m.getFrom()[0].toString());
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertTrue(body.contains("Smoke from tray 2.") && body.contains("Site: hq")
                && body.contains("https://firstline.example.org/tickets?id=" + id), body);
        assertEquals("opened", m.getHeader("X-Firstline-Event")[0]);
        assertEquals(0, mail.drain(), "sent once");
        assertEquals(List.of(new Row(1, true, null)), rows());
    }

    @Test
    void startTlsRequiredByTheServerWithLogin() {
        int port = TestSupport.freePort();
        List<TestSmtp.Received> inbox = TestSmtp.inbox();
        subEtha = TestSmtp.startTlsServer(port, inbox);
        configure(smtp(port, "starttls", "password: " + TestSmtp.PASSWORD), ONE_TARGET);
        long id = byHand.openByHand("VPN down", "", Severity.WARNING, "a-lab", "alice").id();
        tickets.acknowledge(id, "bob");

        assertEquals(2, mail.drain());
        assertEquals(2, inbox.size());
        assertEquals(TestSmtp.FROM, inbox.get(0).from());
        assertEquals("oncall@example.org", inbox.get(0).to());
        assertTrue(inbox.get(0).data().contains("Subject: [Firstline] WARNING opened: VPN down"), inbox.get(0).data());
        assertTrue(inbox.get(1).data().contains("Subject: [Firstline] WARNING acknowledged: VPN down"), inbox.get(1).data());
        // Both mails of one ticket name the same thread.
        String thread = header(inbox.get(0).data(), "References");
        assertEquals(thread, header(inbox.get(1).data(), "References"));
    }

    @Test
    void startTlsIsNeverSkipped() {
        // A plain server that does not offer STARTTLS: the console must not fall back to sending the login in clear.
        int port = TestSupport.freePort();
        greenMail = TestSmtp.greenMail("smtp", port);
        configure(smtp(port, "starttls", "password_file: smtp-password"), ONE_TARGET);
        byHand.openByHand("Disk slow", "", Severity.WARNING, "a-hq", "alice");
        assertEquals(0, mail.drain());
        assertEquals(0, greenMail.getReceivedMessages().length);
        Row r = rows().get(0);
        assertEquals(1, r.attempts());
        assertTrue(r.error().contains("STARTTLS"), r.error());
    }

    @Test
    void anUntrustedServerCertificateIsRefused() {
        int port = TestSupport.freePort();
        greenMail = TestSmtp.greenMail("smtps", port);
        // No ca_file: the system's CAs do not know the test CA.
        config.set(NotifyConfig.parse("n.yaml", "smtp:\n  host: 127.0.0.1\n  port: " + port + "\n  security: tls\n  from: "
                + TestSmtp.FROM + "\nemail:\n" + ONE_TARGET, dir));
        byHand.openByHand("Disk slow", "", Severity.WARNING, "a-hq", "alice");
        assertEquals(0, mail.drain());
        assertEquals(0, greenMail.getReceivedMessages().length);
        assertTrue(rows().get(0).error().startsWith("TLS with the SMTP server 127.0.0.1:" + port + " failed"), rows().get(0).error());
    }

    @Test
    void aWrongPasswordIsRetriedUntilItIsFixed() throws Exception {
        int port = TestSupport.freePort();
        greenMail = TestSmtp.greenMail("smtps", port);
        configure(smtp(port, "tls", "password: not-the-password"), ONE_TARGET);
        byHand.openByHand("Fan loud", "", Severity.INFO, "a-hq", "alice");
        assertEquals(0, mail.drain());
        Row failed = rows().get(0);
        assertEquals(1, failed.attempts());
        assertTrue(failed.error().startsWith("SMTP authentication failed at 127.0.0.1:" + port), failed.error());
        assertEquals(0, mail.drain(), "not due before its backoff");

        configure(smtp(port, "tls", "password_file: smtp-password"), ONE_TARGET);
        clock.advance(NotificationSender.backoff(1));
        assertEquals(1, mail.drain());
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals(List.of(new Row(2, true, failed.error())), rows());
    }

    @Test
    void aServerThatIsDownDelaysMailButLosesNone() throws Exception {
        int port = TestSupport.freePort();
        configure(smtp(port, "tls", "password_file: smtp-password"), ONE_TARGET);
        for (int i = 0; i < 3; i++) {
            byHand.openByHand("Ticket " + i, "", Severity.CRITICAL, "a-hq", "alice");
        }
        assertEquals(0, mail.drain());
        assertEquals(0, mail.drain());
        for (Row r : rows()) {
            assertEquals(1, r.attempts());
            assertTrue(r.error().startsWith("cannot connect to the SMTP server 127.0.0.1:" + port), r.error());
        }
        clock.advance(NotificationSender.backoff(1));
        assertEquals(0, mail.drain(), "still down");
        greenMail = TestSmtp.greenMail("smtps", port);
        clock.advance(NotificationSender.backoff(2));
        assertEquals(3, mail.drain());
        assertEquals(3, greenMail.getReceivedMessages().length);
        assertEquals(0, mail.drain());
        assertTrue(rows().stream().allMatch(Row::delivered));
    }

    @Test
    void routesBySeverityAndSite() throws Exception {
        int port = TestSupport.freePort();
        greenMail = TestSmtp.greenMail("smtps", port);
        configure(smtp(port, "tls", "password_file: smtp-password"), """
                  - name: oncall
                    to: [oncall@example.org]
                    severities: [critical]
                  - name: hq-desk
                    to: [desk@hq.example.org, lead@hq.example.org]
                    sites: [hq]
                  - name: lab-resolved
                    to: lab@example.org
                    sites: [lab]
                    events: [resolved]
                """);
        byHand.openByHand("hq critical", "", Severity.CRITICAL, "a-hq", "alice");   // oncall + hq-desk (2 addresses)
        byHand.openByHand("hq info", "", Severity.INFO, "a-hq", "alice");           // hq-desk
        long lab = byHand.openByHand("lab warning", "", Severity.WARNING, "a-lab", "alice").id(); // nobody yet
        byHand.openByHand("lab critical", "", Severity.CRITICAL, "a-lab", "alice"); // oncall
        tickets.resolve(lab, "bob", "fixed");                                        // lab-resolved
        assertEquals(5, mail.drain());
        Map<String, List<String>> byRecipient = new java.util.TreeMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            for (var a : m.getAllRecipients()) {
                // GreenMail keeps one copy per recipient; group the subjects by who got them
                byRecipient.computeIfAbsent(a.toString(), k -> new java.util.ArrayList<>()).add(m.getSubject());
            }
        }
        assertEquals(Set.of("oncall@example.org", "desk@hq.example.org", "lead@hq.example.org", "lab@example.org"),
                byRecipient.keySet());
        assertTrue(byRecipient.get("oncall@example.org").stream().allMatch(s -> s.contains("CRITICAL opened")), byRecipient.toString());
        assertTrue(byRecipient.get("lab@example.org").stream().allMatch(s -> s.contains("WARNING resolved: lab warning")),
                byRecipient.toString());
    }

    private static String header(String raw, String name) {
        for (String line : raw.split("\r?\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        throw new AssertionError("no " + name + " in\n" + raw);
    }
}
