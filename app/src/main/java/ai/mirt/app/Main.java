package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar mirt.jar}: load the config, start Mirt, print the banner; stop cleanly on SIGTERM/SIGINT.
 * {@code java -jar mirt.jar eval <dir>} plays scripted conversations instead and exits with their outcome
 * ({@link EvalCommand}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && EvalCommand.NAME.equals(args[0])) {
      System.exit(EvalCommand.exec(Arrays.asList(args).subList(1, args.length)));
      return;
    }
    MirtConfig cfg;
    try {
      cfg = ConfigLoader.load(System.getenv(), System.getProperties());
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    if (cfg.cluster().enabled()) {
      LOG.info("joining cluster {} as {} (members {})", cfg.cluster().name(), cfg.cluster().host(),
        cfg.cluster().members());
    }
    MirtApp app;
    try {
      app = MirtApp.launch(cfg).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.error("Mirt failed to start: {}", cause.getMessage());
      System.exit(1);
      return;
    }
    Banner.lines(app.config(), app.port(), app.verifyTokenGenerated(), app.adminTokenGenerated(),
      app.clusterDescription()).forEach(LOG::info);

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    // A signal handler rather than a shutdown hook: the JVM would otherwise report SIGTERM as exit code 143.
    sun.misc.SignalHandler onSignal = sig -> {
      if (stopping.compareAndSet(false, true)) {
        LOG.info("received SIG{}", sig.getName());
        try {
          app.shutdown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          stopped.countDown();
        }
      }
    };
    Signal.handle(new Signal("TERM"), onSignal);
    Signal.handle(new Signal("INT"), onSignal);
    stopped.await();
    LOG.info("Mirt stopped");
    System.exit(0);
  }
}
