package io.firstline.console.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends one ticket notification as a plain-text e-mail over SMTP (Jakarta
 * Mail, Eclipse Angus). STARTTLS is required when asked for, never
 * optional; the server's certificate and name are always checked; every
 * step is bounded by the configured timeout. Mails about one ticket carry
 * the same thread reference, so mail clients group them.
 */
final class MailSender {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MailSender() {
    }

    /** Sends; returns null on success or why it failed (the row is retried). */
    static String send(SmtpSettings smtp, EmailTarget target, String event, String payload, String consoleUrl, long outboxId) {
        try {
            Session session = Session.getInstance(properties(smtp));
            MimeMessage m = message(session, smtp, target, event, JSON.readTree(payload), consoleUrl, outboxId);
            try (Transport t = session.getTransport("smtp")) {
                if (smtp.authenticates()) {
                    t.connect(smtp.host(), smtp.port(), smtp.username(), smtp.currentPassword());
                } else {
                    t.connect();
                }
                t.sendMessage(m, m.getAllRecipients());
            }
            return null;
        } catch (AuthenticationFailedException e) {
            return "SMTP authentication failed at " + smtp.host() + ":" + smtp.port() + ": " + oneLine(e.getMessage());
        } catch (SendFailedException e) {
            return "the SMTP server refused the message: " + oneLine(e.getMessage());
        } catch (MessagingException e) {
            return describe(smtp, e);
        } catch (IOException | GeneralSecurityException e) {
            return e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
        }
    }

    static Properties properties(SmtpSettings smtp) throws GeneralSecurityException, IOException {
        Properties p = new Properties();
        String ms = String.valueOf(smtp.timeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", String.valueOf(smtp.authenticates()));
        p.put("mail.smtp.from", EmailTarget.address(smtp.from()).getAddress());
        switch (smtp.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> {
                // plain text on a trusted network; NotifyConfig refuses a login here
            }
        }
        if (smtp.security() != SmtpSettings.Security.NONE) {
            p.put("mail.smtp.ssl.checkserveridentity", "true");
            p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
            SSLSocketFactory f = smtp.socketFactory();
            if (f != null) {
                p.put("mail.smtp.ssl.socketFactory", f);
            }
        }
        return p;
    }

    static MimeMessage message(Session session, SmtpSettings smtp, EmailTarget target, String event, JsonNode body,
                               String consoleUrl, long outboxId) throws MessagingException {
        JsonNode t = body.path("ticket");
        MimeMessage m = new ThreadedMessage(session, "<firstline-" + outboxId + "-" + t.path("id").asLong() + "@"
                + smtp.host() + ">");
        m.setFrom(new InternetAddress(smtp.from()));
        m.setRecipients(Message.RecipientType.TO, target.recipients());
        m.setSubject(MailText.subject(event, t), StandardCharsets.UTF_8.name());
        m.setText(MailText.body(event, body, consoleUrl), StandardCharsets.UTF_8.name());
        Instant at = Instant.parse(body.path("at").asText(Instant.EPOCH.toString()));
        m.setSentDate(Date.from(at));
        String thread = "<ticket-" + t.path("id").asLong() + "." + t.path("faultKey").asText().hashCode() + "@firstline>";
        m.setHeader("References", thread);
        m.setHeader("In-Reply-To", thread);
        m.setHeader("X-Firstline-Event", event);
        m.setHeader("X-Firstline-Ticket", t.path("id").asText());
        m.setHeader("X-Firstline-Severity", t.path("severity").asText());
        m.setHeader("Auto-Submitted", "auto-generated");
        return m;
    }

    private static String describe(SmtpSettings smtp, MessagingException e) {
        String where = smtp.host() + ":" + smtp.port();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "cannot connect to the SMTP server " + where + ": " + oneLine(c.getMessage());
            }
            if (c instanceof UnknownHostException) {
                return "unknown SMTP host " + smtp.host();
            }
            if (c instanceof SocketTimeoutException) {
                return "the SMTP server " + where + " did not answer within the timeout";
            }
            if (c instanceof SSLException) {
                return "TLS with the SMTP server " + where + " failed: " + oneLine(c.getMessage());
            }
        }
        return "SMTP error at " + where + ": " + oneLine(e.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    /** A message whose Message-ID is ours (stable per outbox row), not one Jakarta Mail makes up on save. */
    private static final class ThreadedMessage extends MimeMessage {
        private final String id;

        ThreadedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
