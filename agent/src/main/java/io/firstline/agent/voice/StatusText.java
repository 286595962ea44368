package io.firstline.agent.voice;

import io.firstline.proto.LocalStatus;
import io.firstline.proto.PendingReport;
import io.firstline.proto.PublicReply;
import io.firstline.proto.TicketNote;
import io.firstline.text.PlainText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code firstline-agent status} in plain words: each ticket about this
 * machine, what it means for the user and whether they need to do anything,
 * the engineers' public replies, and how old this knowledge is. Every string
 * that came from the console is stripped of control characters and escape
 * sequences before it is printed, so it cannot move the cursor or retitle the
 * terminal.
 */
public final class StatusText {
    private final ZoneId zone;
    private final DateTimeFormatter time;

    public StatusText(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
    }

    /**
     * @param fromCache true when no agent answered and this came from the
     *                  state directory's cache file
     */
    public String render(LocalStatus s, boolean fromCache) {
        StringBuilder b = new StringBuilder();
        long now = s.getNowMs();
        String host = clean(s.getHostname());
        b.append("Support tickets about this machine").append(host.isEmpty() ? "" : " (" + host + ")").append("\n");
        if (s.getReceivedMs() == 0) {
            b.append(fromCache ? "The agent is not running and has no status from support yet.\n"
                    : s.getConsoleConnected() ? "The agent has not heard from support yet; try again in a moment.\n"
                    : "The agent cannot reach support right now and has not heard from it yet.\n");
        } else {
            String age = ago(now - s.getReceivedMs()) + " (" + time.format(Instant.ofEpochMilli(s.getReceivedMs())) + ")";
            if (fromCache) {
                b.append("The agent is not running. This is what support last told it, ").append(age).append(".\n");
            } else if (s.getConsoleConnected()) {
                b.append("Up to date: connected to support; last update ").append(age).append(".\n");
            } else {
                b.append("The agent cannot reach support right now. This is what support last told it, ").append(age).append(".\n");
            }
        }
        b.append("\n");
        if (s.getStatus().getTicketsCount() == 0 && s.getReceivedMs() != 0) {
            b.append("No open tickets: support knows of nothing wrong with this machine.\n");
        }
        for (TicketNote t : s.getStatus().getTicketsList()) {
            ticket(b, t, now);
        }
        if (s.getPendingCount() > 0) {
            b.append(s.getConsoleConnected() && !fromCache ? "Reports on their way to support:\n"
                    : "Reports waiting to be sent (the agent sends them as soon as it reaches support):\n");
            for (PendingReport p : s.getPendingList()) {
                b.append("  ").append(time.format(Instant.ofEpochMilli(p.getCreatedMs()))).append("  \"")
                        .append(PlainText.oneLine(p.getTitle())).append("\"\n");
            }
        }
        return b.toString();
    }

    private void ticket(StringBuilder b, TicketNote t, long now) {
        boolean user = t.getSource().equals("user");
        b.append('#').append(t.getId()).append("  ").append(user ? "Reported: \"" + PlainText.oneLine(t.getTitle()) + "\""
                : PlainText.oneLine(t.getTitle())).append("\n");
        String state = switch (t.getState()) {
            case "open" -> "Open: support has it and will look at it soon.";
            case "acknowledged" -> "Support is working on it.";
            case "resolved" -> "Resolved " + ago(now - t.getResolvedMs()) + " ("
                    + time.format(Instant.ofEpochMilli(t.getResolvedMs())) + ").";
            case "closed" -> "Closed.";
            default -> "State: " + PlainText.oneLine(t.getState()) + ".";
        };
        line(b, state);
        if (user && !t.getReporter().isEmpty()) {
            line(b, "Reported by " + PlainText.oneLine(t.getReporter()) + " on " + time.format(Instant.ofEpochMilli(t.getOpenedMs())) + ".");
        } else {
            line(b, "Since " + time.format(Instant.ofEpochMilli(t.getOpenedMs())) + ".");
        }
        boolean live = t.getState().equals("open") || t.getState().equals("acknowledged");
        if (!t.getUserText().isBlank()) {
            line(b, (live ? "What you can do: " : "About it: ") + PlainText.strip(t.getUserText()).strip());
        } else if (live) {
            line(b, "Nothing for you to do now.");
        }
        for (PublicReply r : t.getRepliesList()) {
            line(b, "Reply from " + PlainText.oneLine(r.getAuthor()) + ", " + time.format(Instant.ofEpochMilli(r.getAtMs())) + ":");
            for (String l : PlainText.strip(r.getText()).strip().split("\n", -1)) {
                b.append("      ").append(l).append("\n");
            }
        }
        b.append("\n");
    }

    private static void line(StringBuilder b, String text) {
        String[] lines = text.split("\n", -1);
        b.append("    ").append(lines[0]).append("\n");
        for (int i = 1; i < lines.length; i++) {
            b.append("    ").append(lines[i]).append("\n");
        }
    }

    private static String clean(String s) {
        return PlainText.oneLine(s);
    }

    /** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
    static String ago(long ms) {
        Duration d = Duration.ofMillis(Math.max(0, ms));
        if (d.toSeconds() < 60) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return plural(d.toMinutes(), "minute") + " ago";
        }
        if (d.toHours() < 48) {
            return plural(d.toHours(), "hour") + " ago";
        }
        return plural(d.toDays(), "day") + " ago";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    public ZoneId zone() {
        return zone;
    }
}
