package io.firstline.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The parameter rules both sides apply: bad input is refused naming the parameter. */
class ActionTest {
    private static InvalidParameter refused(String action, Map<String, String> params) {
        return assertThrows(InvalidParameter.class, () -> Action.validate(action, params));
    }

    @Test
    void validRequestsGetTheirDefaultsAndCanonicalValues() {
        Action.Valid v = Action.validate("tcp_connect", Map.of("host", "Example.COM", "port", " 443 "));
        assertEquals(Map.of("host", "example.com", "port", "443"), v.params());
        assertEquals(Map.of("name", "example.com", "type", "AAAA"), Action.validate("dns_lookup", Map.of("name", "example.com",
                "type", "aaaa")).params());
        assertEquals("4", Action.validate("ping", Map.of("host", "127.0.0.1")).params().get("count"));
        assertEquals("100", Action.validate("log_tail", Map.of("log", "syslog")).params().get("lines"));
        assertEquals("/var/log", Action.validate("disk_usage", Map.of("path", "/var//log/")).params().get("path"));
        assertEquals(Map.of(), Action.validate("top_processes", Map.of()).params());
        assertEquals("::1", Action.validate("ping", Map.of("host", "[::1]")).params().get("host"));
        assertEquals(List.of(Action.INTERFACES, Action.ROUTES), Action.validate("bundle", Map.of("actions", "interfaces, routes")).bundled());
        assertTrue(Action.validate("bundle", Map.of()).bundled().contains(Action.TOP_PROCESSES));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp_connect | host=example.com;port=0 | port",
        "tcp_connect | host=example.com;port=70000 | port",
        "tcp_connect | host=example.com;port=http | port",
        "tcp_connect | host=exa mple.com;port=80 | host",
        "tcp_connect | host=example.com;rm -rf /;port=80 | host",
        "tcp_connect | host=$(reboot);port=80 | host",
        "tcp_connect | host=-oProxyCommand=x;port=80 | host",
        "tcp_connect | port=80 | host",
        "tcp_connect | host=a;port=1;extra=1 | extra",
        "dns_lookup | name=example.com;type=ANYTHING | type",
        "ping | host=example.com;count=11 | count",
        "http_check | url=file:///etc/passwd | url",
        "http_check | url=ftp://example.com/ | url",
        "http_check | url=http://user:pw@example.com/ | url",
        "http_check | url=javascript:alert(1) | url",
        "disk_usage | path=/var/../etc | path",
        "disk_usage | path=var/log | path",
        "disk_usage | path=.. | path",
        "log_tail | log=../../etc/shadow | log",
        "log_tail | log=syslog;lines=0 | lines",
        "log_tail | log=syslog;lines=1001 | lines",
        "log_tail | log=syslog;grep=( | grep",
        "kernel_log | grep=a{1001} | grep",
        "top_processes | n=5 | n",
        "packet_capture | interface=eth0;filter=host 1.2.3.4 and (port 22) | filter",
        "packet_capture | interface=eth0;filter=ether proto 0x88cc | filter",
        "packet_capture | interface=eth0;seconds=11 | seconds",
        "packet_capture | interface=eth0;packets=1001 | packets",
        "packet_capture | interface=eth0 -w /tmp/x | interface",
        "bundle | actions=tcp_connect | actions",
        "bundle | actions=bundle | actions",
        "bundle | actions=nope | actions",
        "service_status | unit=-H evil | unit",
    })
    void badInputIsRefusedNamingTheParameter(String action, String params, String param) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String kv : params.split(";(?=[a-z]+=)")) {
            int eq = kv.indexOf('=');
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        InvalidParameter e = refused(action.strip(), map);
        assertEquals(param.strip(), e.param(), e.getMessage());
        assertTrue(e.getMessage().contains(param.strip()), e.getMessage());
    }

    @Test
    void unknownActionsAreRefusedAsTheAction() {
        assertEquals("action", refused("shell", Map.of("cmd", "id")).param());
        assertEquals("action", refused("", Map.of()).param());
    }

    @Test
    void captureFiltersComeFromTheClosedGrammarOnly() {
        assertEquals(List.of("host", "10.0.0.1", "and", "not", "port", "22", "or", "udp"),
                CaptureFilter.parse("HOST 10.0.0.1 and not port 22 or udp", "filter").words());
        assertEquals(List.of(), CaptureFilter.parse("  ", "filter").words());
        assertThrows(InvalidParameter.class, () -> CaptureFilter.parse("port 22 and", "filter"));
        assertThrows(InvalidParameter.class, () -> CaptureFilter.parse("host a b", "filter"));
    }

    @Test
    void theAllowanceRefusesWhatTheAgentsConfigDoesNotList() {
        Allowance a = new Allowance(true, List.of("log_tail", "disk_usage", "packet_capture", "bundle", "routes"), List.of("syslog"),
                List.of("/srv"), List.of("eth0"), List.of("packet_capture"));
        assertEquals("log", a.refusal(Action.validate("log_tail", Map.of("log", "auth"))).orElseThrow().param());
        assertTrue(a.refusal(Action.validate("log_tail", Map.of("log", "syslog"))).isEmpty());
        assertEquals("path", a.refusal(Action.validate("disk_usage", Map.of("path", "/srvx"))).orElseThrow().param());
        assertTrue(a.refusal(Action.validate("disk_usage", Map.of("path", "/srv/data"))).isEmpty());
        assertEquals("action", a.refusal(Action.validate("ping", Map.of("host", "localhost"))).orElseThrow().param());
        assertTrue(a.refusal(Action.validate("packet_capture", Map.of("interface", "eth0"))).orElseThrow().getMessage()
                .contains("not available"));
        assertEquals("actions", a.refusal(Action.validate("bundle", Map.of("actions", "routes,interfaces"))).orElseThrow().param());
        assertEquals(List.of(Action.ROUTES), a.bundled(Action.validate("bundle", Map.of())));
        assertTrue(Allowance.NONE.refusal(Action.validate("routes", Map.of())).orElseThrow().getMessage().contains("off"));
    }
}
