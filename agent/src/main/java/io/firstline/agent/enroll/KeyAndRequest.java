package io.firstline.agent.enroll;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;

/**
 * A fresh key pair made on the agent (EC P-256) and a PKCS#10 request for it
 * with the agent id as subject CN. The private key never leaves the agent.
 *
 * <p>The request is written here in DER with the JDK's own classes rather than
 * with BouncyCastle, which kept some 7,500 entries in the agent's jar (the JDK
 * holds a jar's whole central directory on the heap while it is open) for this
 * one structure (RFC 2986, section 4):
 * <pre>
 * CertificationRequest ::= SEQUENCE {
 *     certificationRequestInfo SEQUENCE {
 *         version       INTEGER 0,
 *         subject       Name,                  -- X500Principal.getEncoded()
 *         subjectPKInfo SubjectPublicKeyInfo,  -- PublicKey.getEncoded()
 *         attributes    [0] IMPLICIT SET OF Attribute }  -- empty: A0 00
 *     signatureAlgorithm SEQUENCE { OID ecdsa-with-SHA256 },
 *     signature          BIT STRING }          -- DER ECDSA signature of the info
 * </pre>
 */
public record KeyAndRequest(KeyPair keyPair, byte[] csr) {
    /** 1.2.840.10045.4.3.2, ecdsa-with-SHA256 (RFC 5758), with no parameters. */
    private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final int SEQUENCE = 0x30;
    private static final int BIT_STRING = 0x03;
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final byte[] NO_ATTRIBUTES = {(byte) 0xa0, 0x00};

    public static KeyAndRequest create(String agentId) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            return new KeyAndRequest(kp, request(kp, new X500Principal("CN=" + agentId)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key pair: " + e.getMessage(), e);
        }
    }

    /** The DER PKCS#10 request for {@code kp}'s public key, signed with its private key. */
    static byte[] request(KeyPair kp, X500Principal subject) throws GeneralSecurityException {
        byte[] info = der(SEQUENCE, VERSION_0, subject.getEncoded(), kp.getPublic().getEncoded(), NO_ATTRIBUTES);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(kp.getPrivate());
        signer.update(info);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits in the last byte
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return der(SEQUENCE, info, der(SEQUENCE, ECDSA_WITH_SHA256), der(BIT_STRING, bits));
    }

    /** One DER element: {@code tag}, definite length, then the {@code parts} as they are. */
    static byte[] der(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
