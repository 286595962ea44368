package io.firstline.console.web;

import io.firstline.wire.KeyValues;
import com.google.protobuf.ByteString;
import io.firstline.agent.enroll.KeyAndRequest;
import io.firstline.console.Console;
import io.firstline.console.enroll.TokenInfo;
import io.firstline.console.fleet.FleetState;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.InventoryItem;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Machines for the report tests, made of the facts a real agent sends: each
 * enrolls once with a token of its site (a real enrollment with its own key),
 * then says Hello with its OS and agent version and sends its inventory to the
 * console's fleet, as the agent link does after the handshake. Ids starting
 * with "b" are Dell laptops, the others Lenovo.
 */
final class ReportMachines {
    private ReportMachines() {
    }

    static FleetState.Session connect(Console console, Clock clock, String id, String site, String osVersion, String agentVersion)
            throws Exception {
        if (console.enrollment().site(id).isEmpty()) {
            TokenInfo token = console.enrollment().createToken(site, Duration.ofHours(1), 1, "test");
            console.enrollment().enroll(EnrollRequest.newBuilder().setToken(token.secret())
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create(id).csr())).setHost(HostFacts.getDefaultInstance()).build(),
                    Optional.empty(), "test");
            console.fleet().enrolled(id, site);
        }
        FleetState.Session s = console.fleet().connect(Hello.newBuilder().setAgentId(id).setBootEpoch(clock.millis())
                .setAgentVersion(agentVersion).setHost(HostFacts.newBuilder().setHostname("pc-" + id)
                        .setOsFamily("Debian GNU/Linux").setOsVersion(osVersion)).build(), "127.0.0.1");
        s.site(site);
        s.applyInventory(clock.millis(), Inventory.newBuilder().setDigest(id + osVersion).addItems(InventoryItem.newBuilder()
                .setKind("system").setName("system").addAttributes(KeyValues.entry("vendor", id.startsWith("b") ? "Dell Inc." : "LENOVO"))
                .addAttributes(KeyValues.entry("model", id.startsWith("b") ? "Latitude 7440" : "20XW0026GE"))).build());
        return s;
    }
}
