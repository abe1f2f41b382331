package org.upshot.source.socket;

import java.util.Collection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;
import org.upshot.source.socket.internal.ListenerTable;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.source.SourceDeclaration;

/**
 * The socket event source: watches the listeners the daemon owns for its jobs and emits
 * {@code socket} when one is readable (without {@code accept}) or for each connection it
 * accepts (with). Upstart's {@code start on socket PROTO=… PORT=… ADDR=…} conditions get
 * their listener here too. The rules are in {@link org.upshot.source.socket.internal}.
 */
@Component(service = EventSource.class)
@SourceDeclaration(name = "socket", events = "socket PROTO PORT ADDR SOCKET_PATH LISTEN CONNECTION REMOTE_ADDR "
        + "REMOTE_PORT REMOTE_PID REMOTE_UID")
public final class SocketEventSource implements EventSource {

    private final ListenerTable table;

    @Activate
    public SocketEventSource(@Reference ListenerTable table) {
        this.table = table;
    }

    @Override
    public void start(SourceContext context) throws Exception {
        table.start(context);
    }

    @Override
    public void jobsChanged(Collection<JobView> jobs) {
        table.jobsChanged(jobs);
    }

    @Override
    public void instanceChanged(InstanceChange change) {
        table.instanceChanged(change);
    }

    @Override
    public void pause() {
        table.pause();
    }

    @Override
    public void resume() throws Exception {
        table.resume();
    }

    @Override
    public void stop() {
        table.stop();
    }
}
