package io.firstline.agent.cli;

import io.firstline.agent.voice.LocalClient;
import io.firstline.agent.voice.StatusCache;
import io.firstline.agent.voice.StatusJson;
import io.firstline.agent.voice.StatusText;
import io.firstline.cli.CliSupport;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.proto.LocalStatus;
import io.firstline.proto.LocalStatusQuery;
import io.firstline.text.PlainText;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code firstline-agent status}: this machine's open and recently resolved
 * tickets in plain words, with the engineers' public replies. The running
 * agent answers from the last status the console sent (and says how old it
 * is); with {@code --state-dir} and no agent running, the state directory's
 * copy is read directly.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show what support knows and is doing about this machine: open and recently resolved tickets, and replies.")
public final class StatusCommand implements Runnable {
    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Mixin
    LocalTarget target;

    @Override
    public void run() {
        LocalStatus status;
        boolean fromCache = false;
        try {
            LocalResponse r = LocalClient.ask(target.socket(), LocalRequest.newBuilder().setStatus(LocalStatusQuery.getDefaultInstance()).build());
            if (!r.getError().isEmpty()) {
                throw new CliSupport.UserError(PlainText.strip(r.getError()));
            }
            status = r.getStatus();
        } catch (LocalClient.Unreachable e) {
            Optional<io.firstline.proto.StatusCache> cached = target.stateDir == null ? Optional.empty() : StatusCache.read(target.stateDir);
            if (cached.isEmpty()) {
                throw new CliSupport.UserError(e.getMessage());
            }
            fromCache = true;
            status = LocalStatus.newBuilder().setStatus(cached.get().getStatus()).setReceivedMs(cached.get().getReceivedMs())
                    .setNowMs(System.currentTimeMillis()).addAllPending(cached.get().getReportsList()).build();
        }
        System.out.print(json ? StatusJson.write(status, fromCache) + "\n" : new StatusText(ZoneId.systemDefault()).render(status, fromCache));
        System.out.flush();
    }

    Path socket() {
        return target.socket();
    }
}
