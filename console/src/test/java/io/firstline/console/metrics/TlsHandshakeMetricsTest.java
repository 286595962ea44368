package io.firstline.console.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.firstline.agent.enroll.AgentCredentials;
import io.firstline.agent.enroll.Enroller;
import io.firstline.agent.link.AgentLink;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.agent.link.LinkSecurity;
import io.firstline.agent.link.MemoryOutbox;
import io.firstline.console.Console;
import io.firstline.console.TestSupport;
import io.firstline.console.config.ConsoleConfig;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.console.pki.TlsProvider;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Welcome;
import io.firstline.wire.WireProtocol;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code firstline_agent_tls_handshakes_total{kind}} on a real console with
 * each TLS provider: enrolling and the first connection are full
 * handshakes; the agent's reconnection with the same TLS context resumes.
 */
class TlsHandshakeMetricsTest {
    @TempDir
    Path dir;

    private static double handshakes(String metrics, String kind) {
        String prefix = "firstline_agent_tls_handshakes_total{kind=\"" + kind + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "in\n" + metrics));
    }

    private static AgentLink connect(AgentCredentials c, SslContext tls, ConsoleAddress address) {
        long epoch = System.currentTimeMillis();
        Hello hello = Hello.newBuilder().setAgentId(c.agentId()).setBootEpoch(epoch).setAgentVersion("test")
                .setProtocolVersion(WireProtocol.VERSION).setMinProtocolVersion(WireProtocol.MIN_VERSION)
                .setHost(HostFacts.newBuilder().setHostname(c.agentId())).build();
        AgentLink link = new AgentLink(new AgentLink.Settings(List.of(address), epoch, WireProtocol.DEFAULT_MAX_FRAME_BYTES,
                Duration.ofSeconds(5), AgentLink.Settings.DEFAULT_BACKFILL_PER_SECOND, LinkSecurity.of(tls)), new MemoryOutbox(100, epoch),
                () -> hello, List::of, (Welcome w) -> { }, new SplittableRandom(1));
        link.start();
        await().atMost(Duration.ofSeconds(20)).until(link::isConnected);
        return link;
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void fullAndResumedHandshakesAreCountedApart(TlsProvider provider) throws Exception {
        if (provider == TlsProvider.OPENSSL && !OpenSsl.isAvailable()) {
            String why = "BoringSSL (netty-tcnative) does not load here: " + TlsProvider.whyUnavailable();
            if (System.getenv(TestSupport.REQUIRE_TOOLS) != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        try (Console console = Console.start(ConsoleConfig.defaults(dir)
                .withAgentListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withHttpListen(new ConsoleConfig.Listen("127.0.0.1", 0))
                .withTlsProvider(provider))) {
            ConsoleAddress address = new ConsoleAddress("127.0.0.1", console.agentPort());
            TokenInfo token = console.enrollment().createToken("lab", Duration.ofHours(1), 1, "test");
            AgentCredentials c = new Enroller(Duration.ofSeconds(10)).enroll(address, token.secret(), console.enrollment().caFingerprint(),
                    "resuming-1", HostFacts.newBuilder().setHostname("resuming-1").build(), "0.1.0", dir.resolve("agent"));
            String url = "http://127.0.0.1:" + console.httpPort() + "/metrics";
            assertEquals(1, handshakes(TestSupport.get(url).body(), "full"), "enrolling: a full handshake");
            assertEquals(0, handshakes(TestSupport.get(url).body(), "resumed"));

            SslContext tls = c.clientContext(); // one context, one session cache: what a running agent keeps
            try (AgentLink first = connect(c, tls, address)) {
                assertTrue(first.isConnected());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> console.fleet().connected() == 0);
            try (AgentLink again = connect(c, tls, address)) {
                String metrics = TestSupport.get(url).body();
                assertEquals(2, handshakes(metrics, "full"), "enrolling and the first connection");
                assertEquals(1, handshakes(metrics, "resumed"), "the reconnection resumed its session");
            }
        }
    }
}
