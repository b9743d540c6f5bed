package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The clustered event bus: Hazelcast configured from {@code conf/cluster.xml} with Mirt's own settings laid over it
 * (name, member port, interface, TCP-IP members; multicast and auto-detection off), and the event bus bound to
 * {@code cluster.host}.
 */
final class Clustering {

  /** The built-in copy of {@code conf/cluster.xml}, used when the default path holds no file. */
  static final String BUILT_IN = "conf/cluster.xml";

  private Clustering() {
  }

  /** Builds a clustered Vert.x; completes once this node has joined (or formed) the cluster. */
  static Future<Vertx> start(VertxOptions options, MirtConfig.Cluster cluster, HazelcastClusterManager manager) {
    options.setEventBusOptions(new EventBusOptions()
      .setHost(cluster.host())
      .setPort(cluster.busPort())
      .setClusterPublicHost(cluster.host()));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered();
  }

  /** The cluster manager for these settings. Throws {@link ConfigException} naming the setting that is wrong. */
  static HazelcastClusterManager manager(MirtConfig.Cluster cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(MirtConfig.Cluster cluster) {
    Config hz = read(cluster.configFile());
    hz.setClusterName(cluster.name());
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(10);
    String ip = resolve(cluster.host());
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(ip));
    // Bound to that interface only: a cluster is reachable on the address its operator chose, not on every one.
    hz.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.memberList());
    return hz;
  }

  private static Config read(String file) {
    Path path = Path.of(file);
    try {
      if (Files.isRegularFile(path)) {
        return new XmlConfigBuilder(path.toString()).build();
      }
      if (!file.equals(BUILT_IN)) {
        throw new ConfigException("CLUSTER_CONFIG: Hazelcast configuration " + file + " does not exist");
      }
      try (InputStream in = Clustering.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new ConfigException("CLUSTER_CONFIG: no " + file + " here and none built in");
        }
        return new XmlConfigBuilder(in).build();
      }
    } catch (IOException | InvalidConfigurationException e) {
      throw new ConfigException("CLUSTER_CONFIG: " + file + " is not a valid Hazelcast configuration: "
        + String.valueOf(e.getMessage()).split("\n", 2)[0]);
    }
  }

  private static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("CLUSTER_HOST: " + host + " is not an address of this machine");
    }
  }

  /** How this node sits in the cluster, for the banner: its member address and how many members it sees. */
  static String describe(HazelcastClusterManager manager) {
    HazelcastInstance hz = manager.getHazelcastInstance();
    if (hz == null) {
      return "joining";
    }
    return hz.getCluster().getLocalMember().getAddress() + ", " + hz.getCluster().getMembers().size()
      + " member(s) now";
  }
}
