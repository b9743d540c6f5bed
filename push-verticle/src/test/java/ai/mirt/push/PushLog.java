package ai.mirt.push;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What a logger under {@code ai.mirt.push} wrote during a test, as "LEVEL message" lines. Verticles log from their
 * event loops while the test reads: the appender appends under its own lock, so the lines are read under it too.
 */
final class PushLog implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private PushLog(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    appender.start();
    logger.addAppender(appender);
  }

  static PushLog of(Class<?> type) {
    return new PushLog(type.getName());
  }

  static PushLog all() {
    return new PushLog("ai.mirt.push");
  }

  List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  boolean has(String start) {
    return lines().stream().anyMatch(l -> l.startsWith(start));
  }

  long count(String start) {
    return lines().stream().filter(l -> l.startsWith(start)).count();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
