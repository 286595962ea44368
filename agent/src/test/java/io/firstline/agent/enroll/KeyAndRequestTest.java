package io.firstline.agent.enroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** The agent's hand-written PKCS#10 request, read back by BouncyCastle as the console reads it. */
class KeyAndRequestTest {

    @Test
    void theConsoleReadsTheRequestItsSubjectKeyAndValidSignature() throws Exception {
        KeyAndRequest kr = KeyAndRequest.create("agent-0f3c9a");
        PKCS10CertificationRequest req = new PKCS10CertificationRequest(kr.csr());
        assertEquals(new X500Name("CN=agent-0f3c9a"), req.getSubject());
        assertArrayEquals(kr.keyPair().getPublic().getEncoded(), req.getSubjectPublicKeyInfo().getEncoded());
        assertEquals("1.2.840.10045.4.3.2", req.getSignatureAlgorithm().getAlgorithm().getId());
        assertEquals(0, req.getAttributes().length);
        assertTrue(req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(kr.keyPair().getPublic())));
    }

    @Test
    void aRequestSignedByAnotherKeyIsNotValidForThisOne() throws Exception {
        KeyAndRequest a = KeyAndRequest.create("agent-a");
        KeyAndRequest b = KeyAndRequest.create("agent-a");
        PKCS10CertificationRequest req = new PKCS10CertificationRequest(a.csr());
        assertTrue(!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(b.keyPair().getPublic())));
    }

    @Test
    void derLengthsUseTheShortFormBelow128AndTheLongFormFrom128() {
        assertArrayEquals(new byte[] {0x04, 0x01, 0x07}, KeyAndRequest.der(0x04, new byte[] {7}));
        byte[] l127 = KeyAndRequest.der(0x04, new byte[127]);
        assertEquals(127, l127[1]);
        byte[] l128 = KeyAndRequest.der(0x04, new byte[128]);
        assertArrayEquals(new byte[] {0x04, (byte) 0x81, (byte) 0x80}, java.util.Arrays.copyOf(l128, 3));
        byte[] l300 = KeyAndRequest.der(0x30, new byte[100], new byte[200]);
        assertArrayEquals(new byte[] {0x30, (byte) 0x82, 0x01, 0x2c}, java.util.Arrays.copyOf(l300, 4));
        assertEquals(304, l300.length);
    }
}
