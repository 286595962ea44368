package io.firstline.console.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.firstline.proto.RuleDef;
import io.firstline.rules.Rule;
import io.firstline.rules.RuleCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fuzzes the rules file ({@code DATA/rules.yaml}, docs/rules.md).
 * Seeds and findings: {@code RulesFileFuzzTestInputs/} in the test resources.
 */
class RulesFileFuzzTest {

    /**
     * Any text is either a valid rule set or one {@link RulesException} naming
     * the file. A valid set has finite thresholds, and every agent rule reaches
     * the agent (RuleDef on the wire) as the console read it.
     */
    @FuzzTest
    void anyTextIsRulesOrAnErrorNamingTheFile(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        RuleFile file;
        try {
            file = RulesParser.parse("rules.yaml", text);
        } catch (RulesException e) {
            assertTrue(e.getMessage().startsWith("rules.yaml"), e.getMessage());
            return;
        }
        for (Rule r : file.rules()) {
            assertTrue(Double.isFinite(r.threshold()) && Double.isFinite(r.recoverThreshold()), r::toString);
        }
        for (Rule r : file.agentRules()) {
            Rule onAgent = RuleCodec.fromProto(RuleDef.parseFrom(RuleCodec.toProto(r).toByteArray()));
            assertEquals(r.id(), onAgent.id());
            assertEquals(r.metric(), onAgent.metric());
            assertEquals(r.resource(), onAgent.resource());
            assertEquals(r.comparison(), onAgent.comparison());
            assertEquals(r.threshold(), onAgent.threshold());
            assertEquals(r.recoverThreshold(), onAgent.recoverThreshold());
            assertEquals(r.severity(), onAgent.severity());
            assertEquals(r.forDuration(), onAgent.forDuration(), r.id() + ": for");
            assertEquals(r.recoverFor(), onAgent.recoverFor(), r.id() + ": recover.for");
            assertEquals(r.staleAfter(), onAgent.staleAfter(), r.id() + ": stale_after");
            assertEquals(r.flap(), onAgent.flap(), r.id() + ": flap");
            assertEquals(r.kind(), onAgent.kind(), r.id() + ": kind");
            assertEquals(r.match(), onAgent.match(), r.id() + ": match");
        }
    }
}
