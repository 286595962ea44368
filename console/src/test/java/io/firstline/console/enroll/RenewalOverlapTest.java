package io.firstline.console.enroll;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.firstline.agent.enroll.KeyAndRequest;
import io.firstline.console.MutableClock;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.Store;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.HostFacts;
import io.firstline.proto.RenewRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * Which certificates of an agent the handshake accepts around a renewal: the
 * previous one only until the new one is presented, or for
 * {@link Enrollment#RENEWAL_OVERLAP} at most.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class RenewalOverlapTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;

    private static X509Certificate cert(ByteString der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toByteArray()));
    }

    @Test
    void thePreviousCertificateIsRefusedOnceTheOverlapIsOverEvenIfTheNewOneIsNeverUsed() throws Exception {
        MutableClock clock = new MutableClock();
        try (Store store = storeKind.open(dir)) {
            Enrollment enrollment = new Enrollment(store, ConsoleCa.loadOrCreate(dir, "console-test", clock), clock);
            TokenInfo token = enrollment.createToken("lab", Duration.ofHours(1), 1, "test");
            X509Certificate first = cert(enrollment.enroll(EnrollRequest.newBuilder().setToken(token.secret())
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create("agent-x").csr())).setHost(HostFacts.getDefaultInstance())
                    .build(), Optional.empty(), "test").getCertificate());
            String firstSerial = ConsoleCa.serialOf(first);
            assertFalse(enrollment.isRevoked("agent-x", firstSerial));

            X509Certificate second = cert(enrollment.renew(RenewRequest.newBuilder()
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create("agent-x").csr())).build(), first, "test").getCertificate());
            clock.advance(Enrollment.RENEWAL_OVERLAP.minusMinutes(1));
            assertFalse(enrollment.isRevoked("agent-x", firstSerial), "within the overlap");
            clock.advance(Duration.ofMinutes(2));
            assertTrue(enrollment.isRevoked("agent-x", firstSerial), "after the overlap, new certificate used or not");
            org.junit.jupiter.api.Assertions.assertThrows(Enrollment.Refused.class, () -> enrollment.renew(RenewRequest.newBuilder()
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create("agent-x").csr())).build(), first, "test"),
                    "a refused certificate cannot renew, even on a resumed TLS session that skipped the handshake check");
            assertFalse(enrollment.isRevoked("agent-x", ConsoleCa.serialOf(second)));

            // Renewed again before the new certificate was used: the one never used is dropped, the one in use overlaps.
            X509Certificate third = cert(enrollment.renew(RenewRequest.newBuilder()
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create("agent-x").csr())).build(), second, "test").getCertificate());
            X509Certificate fourth = cert(enrollment.renew(RenewRequest.newBuilder()
                    .setCsr(ByteString.copyFrom(KeyAndRequest.create("agent-x").csr())).build(), second, "test").getCertificate());
            assertTrue(enrollment.isRevoked("agent-x", ConsoleCa.serialOf(third)), "replaced before it was ever used");
            assertFalse(enrollment.isRevoked("agent-x", ConsoleCa.serialOf(second)), "the one the agent holds, within the overlap");
            assertFalse(enrollment.isRevoked("agent-x", ConsoleCa.serialOf(fourth)));
            assertTrue(enrollment.isRevoked("agent-x", ConsoleCa.serialOf(second)), "the new one was presented: the overlap ends");
        }
    }
}
