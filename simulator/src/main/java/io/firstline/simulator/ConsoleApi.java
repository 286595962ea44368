package io.firstline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.firstline.agent.link.ConsoleAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The little of the console's HTTP API the simulator uses, with an admin's
 * API token: enrollment tokens ({@code POST /api/tokens}), the open
 * tickets ({@code GET /api/tickets}) and the rejection counters of
 * {@code /metrics}.
 */
final class ConsoleApi {
    /** An open ticket's fault: agent, rule and resource. */
    record TicketKey(String agentId, String ruleId, String resource) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    ConsoleApi(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    /**
     * A new enrollment token for {@code uses} agents (site "simulator"), with
     * the CA fingerprint to pin and where the agent port is; {@code agentPort}
     * overrides the address the console advertises when not null.
     */
    AgentPool.Grant grant(int uses, ConsoleAddress agentPort) {
        JsonNode t = call(HttpRequest.newBuilder(URI.create(base + "/api/tokens")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("site", "simulator", "ttl", "24h", "maxUses", uses)))), 201);
        ConsoleAddress address = agentPort != null ? agentPort
                : new ConsoleAddress(t.path("agentHost").asText(), t.path("agentPort").asInt());
        return new AgentPool.Grant(t.path("token").asText(), t.path("caFingerprint").asText(), address);
    }

    /** The fault keys of the open tickets of rule {@code ruleId}. */
    List<TicketKey> openTickets(String ruleId) {
        JsonNode list = call(HttpRequest.newBuilder(URI.create(base + "/api/tickets?limit=5000&rule="
                + java.net.URLEncoder.encode(ruleId, java.nio.charset.StandardCharsets.UTF_8))).GET(), 200);
        List<TicketKey> out = new ArrayList<>(list.size());
        for (JsonNode t : list) {
            out.add(new TicketKey(t.path("agentId").asText(), t.path("ruleId").asText(), t.path("resource").asText()));
        }
        return out;
    }

    /**
     * The console's count of connections it closed for each of
     * {@code reasons} ({@code firstline_connections_rejected_total}), as
     * {@code reason=N ...}; "unknown" when /metrics cannot be read.
     */
    String rejections(String... reasons) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).build();
        String text;
        try {
            text = http.send(r, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unknown (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
        StringBuilder out = new StringBuilder();
        for (String reason : reasons) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^firstline_connections_rejected_total\\{reason=\"" + reason
                    + "\",?\\} (\\S+)$").matcher(text);
            out.append(out.length() == 0 ? "" : " ").append(reason).append('=')
                    .append(m.find() ? String.valueOf((long) Double.parseDouble(m.group(1))) : "0");
        }
        return out.toString();
    }

    private JsonNode call(HttpRequest.Builder request, int expected) {
        HttpRequest r = request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != expected) {
                throw new IllegalStateException(r.method() + " " + r.uri() + " answered " + answer.statusCode() + ": "
                        + answer.body().strip());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the console at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
