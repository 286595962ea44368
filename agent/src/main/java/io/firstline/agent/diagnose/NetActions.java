package io.firstline.agent.diagnose;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.HttpsURLConnection;

/** Connectivity actions: TCP connect, DNS lookup, ping, HTTP check. */
final class NetActions {
    /** How much of an HTTP body is shown. */
    static final int BODY_BYTES = 1024;

    private NetActions() {
    }

    static void tcpConnect(Job job, CappedOutput out) throws Exception {
        String host = job.param("host");
        int port = job.intParam("port");
        long t0 = System.nanoTime();
        InetAddress[] addresses = resolve(host);
        long resolved = System.nanoTime();
        out.line("%s resolves to %s (%.1f ms)", host, addresses(addresses), ms(t0, resolved));
        Exception last = null;
        for (InetAddress a : addresses) {
            job.checkTime();
            long c0 = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, port), (int) Math.min(Integer.MAX_VALUE, job.millisLeft()));
                double connect = ms(c0, System.nanoTime());
                out.line("connected to %s port %d in %.1f ms (local %s)", a.getHostAddress(), port, connect, s.getLocalSocketAddress());
                out.summary("connected", true);
                out.summary("address", a.getHostAddress());
                out.summary("connect_ms", String.format(java.util.Locale.ROOT, "%.1f", connect));
                out.message("connected to " + host + ":" + port + " in " + String.format(java.util.Locale.ROOT, "%.1f ms", connect));
                return;
            } catch (java.net.SocketTimeoutException e) {
                last = e;
                out.line("%s port %d: no answer (timed out)", a.getHostAddress(), port);
            } catch (java.io.IOException e) {
                last = e;
                out.line("%s port %d: %s", a.getHostAddress(), port, e.getMessage());
            }
        }
        out.summary("connected", false);
        throw new Exception("cannot connect to " + host + ":" + port + ": " + (last == null ? "no address" : last.getMessage()));
    }

    static void dnsLookup(Job job, CappedOutput out) throws Exception {
        String name = job.param("name");
        String type = job.param("type");
        long t0 = System.nanoTime();
        List<String> answers;
        if (type.equals("A") || type.equals("AAAA")) {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(name);
            } catch (UnknownHostException e) {
                out.summary("answers", 0);
                throw new Exception("no address for " + name + " (" + e.getMessage() + ")");
            }
            boolean v6 = type.equals("AAAA");
            answers = java.util.Arrays.stream(all).filter(a -> (a instanceof java.net.Inet6Address) == v6)
                    .map(InetAddress::getHostAddress).toList();
        } else {
            answers = jndi(name, type, job);
        }
        double took = ms(t0, System.nanoTime());
        out.line("%s %s: %d answer(s) in %.1f ms (the system resolver)", name, type, answers.size(), took);
        answers.forEach(a -> out.line("  %s", a));
        out.summary("answers", answers.size());
        out.summary("lookup_ms", String.format(java.util.Locale.ROOT, "%.1f", took));
        if (answers.isEmpty()) {
            throw new Exception("no " + type + " record for " + name);
        }
        out.message(name + " " + type + ": " + String.join(", ", answers.subList(0, Math.min(3, answers.size())))
                + (answers.size() > 3 ? ", ..." : ""));
    }

    /** Other record types through the JDK's DNS provider, which reads the system's resolv.conf. */
    private static List<String> jndi(String name, String type, Job job) throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("com.sun.jndi.dns.timeout.initial", Long.toString(Math.min(5000, job.millisLeft())));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        String query = type.equals("PTR") ? reverseName(name) : name;
        try {
            InitialDirContext ctx = new InitialDirContext(env);
            try {
                Attributes attrs = ctx.getAttributes(query, new String[] {type});
                Attribute a = attrs.get(type);
                List<String> out = new java.util.ArrayList<>();
                if (a != null) {
                    NamingEnumeration<?> e = a.getAll();
                    while (e.hasMore() && out.size() < 100) {
                        out.add(String.valueOf(e.next()));
                    }
                }
                return out;
            } finally {
                ctx.close();
            }
        } catch (javax.naming.NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new Exception("DNS lookup of " + name + " " + type + " failed: " + e.getExplanation());
        }
    }

    private static String reverseName(String ip) throws UnknownHostException {
        byte[] b = InetAddress.getByName(ip).getAddress(); // a literal: no lookup
        StringBuilder s = new StringBuilder();
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) {
                s.append(b[i] & 0xff).append('.');
            }
            return s.append("in-addr.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            s.append(Integer.toHexString(b[i] & 0xf)).append('.').append(Integer.toHexString((b[i] >> 4) & 0xf)).append('.');
        }
        return s.append("ip6.arpa").toString();
    }

    /**
     * Echo requests with {@link InetAddress#isReachable}: ICMP when the agent
     * may send it (root or CAP_NET_RAW), otherwise a TCP connection to port 7,
     * where a refusal still proves the host answers.
     */
    static void ping(Job job, CappedOutput out) throws Exception {
        String host = job.param("host");
        int count = job.intParam("count");
        InetAddress a = resolve(host)[0];
        out.line("PING %s (%s), %d probe(s); ICMP echo where this agent may send it, else TCP port 7", host, a.getHostAddress(), count);
        int answered = 0;
        double total = 0;
        for (int i = 1; i <= count; i++) {
            job.checkTime();
            int wait = (int) Math.min(2000, job.millisLeft());
            long t0 = System.nanoTime();
            boolean ok = a.isReachable(wait);
            double took = ms(t0, System.nanoTime());
            if (ok) {
                answered++;
                total += took;
                out.line("probe %d: answer in %.1f ms", i, took);
            } else {
                out.line("probe %d: no answer within %d ms", i, wait);
            }
        }
        out.summary("sent", count);
        out.summary("answered", answered);
        if (answered > 0) {
            out.summary("avg_ms", String.format(java.util.Locale.ROOT, "%.1f", total / answered));
        }
        out.message(host + ": " + answered + " of " + count + " probes answered");
        if (answered == 0) {
            throw new Exception(host + " did not answer " + count + " probe(s)");
        }
    }

    /** GET or HEAD of a URL: status, timing, TLS certificate expiry, first bytes of the body; redirects are not followed. */
    static void httpCheck(Job job, CappedOutput out) throws Exception {
        URI uri = URI.create(job.param("url"));
        String method = job.param("method");
        int timeout = (int) Math.min(Integer.MAX_VALUE, job.millisLeft());
        long t0 = System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setRequestMethod(method);
        c.setRequestProperty("User-Agent", "firstline-agent diagnostics");
        try {
            int status = c.getResponseCode();
            double first = ms(t0, System.nanoTime());
            out.line("%s %s -> %d %s in %.1f ms", method, uri, status, c.getResponseMessage() == null ? "" : c.getResponseMessage(), first);
            for (String h : List.of("Content-Type", "Content-Length", "Location", "Server")) {
                if (c.getHeaderField(h) != null) {
                    out.line("%s: %s", h, c.getHeaderField(h));
                }
            }
            out.summary("status", status);
            out.summary("response_ms", String.format(java.util.Locale.ROOT, "%.1f", first));
            if (c instanceof HttpsURLConnection https) {
                Certificate[] chain = https.getServerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                    Instant expires = x.getNotAfter().toInstant();
                    long days = Duration.between(Instant.now(), expires).toDays();
                    out.line("TLS certificate: %s, expires %s (%d days)", x.getSubjectX500Principal().getName(), expires, days);
                    out.summary("cert_expires", expires);
                    out.summary("cert_days_left", days);
                }
            }
            if (method.equals("GET")) {
                InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
                if (body != null) {
                    try (body) {
                        byte[] b = body.readNBytes(BODY_BYTES);
                        out.line("first %d bytes of the body:", b.length);
                        out.line(io.firstline.text.PlainText.strip(new String(b, StandardCharsets.UTF_8)));
                    }
                }
            }
            out.message(method + " " + uri.getHost() + " -> " + status + " in " + String.format(java.util.Locale.ROOT, "%.0f ms", first));
        } finally {
            c.disconnect();
        }
    }

    /** The host name that means "this machine's default gateway" (as systemd-resolved's synthetic name). */
    static final String GATEWAY = "_gateway";

    private static InetAddress[] resolve(String host) throws Exception {
        if (host.equals(GATEWAY)) {
            String gw = ProcNet.parseRoutes(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/route"))).stream()
                    .filter(r -> r.destination().equals("0.0.0.0/0")).map(ProcNet.Route::gateway).findFirst()
                    .orElseThrow(() -> new Exception("this machine has no default IPv4 gateway"));
            return new InetAddress[] {InetAddress.getByName(gw)};
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Exception("cannot resolve " + host);
        }
    }

    private static String addresses(InetAddress[] all) {
        return String.join(", ", java.util.Arrays.stream(all).map(InetAddress::getHostAddress).toList());
    }

    static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
