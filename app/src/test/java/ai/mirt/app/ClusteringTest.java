package ai.mirt.app;

import ai.mirt.common.MirtConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast configuration a node starts with: the shipped file with Mirt's settings laid over it. */
class ClusteringTest {

  @TempDir
  Path dir;

  private static MirtConfig.Cluster cluster(JsonObject settings) {
    return MirtConfig.fromJson(settings.put("cluster.enabled", true).put("redis.url", "redis://127.0.0.1:6379"))
      .cluster();
  }

  @Test
  void theSettingsOverrideNamePortInterfaceAndMembers() {
    Config hz = Clustering.hazelcastConfig(cluster(new JsonObject().put("cluster.config", "../conf/cluster.xml")
      .put("cluster.name", "shop").put("cluster.port", 5801).put("cluster.host", "127.0.0.1")
      .put("cluster.members", "127.0.0.1:5801, 10.0.0.2")));
    assertThat(hz.getClusterName()).isEqualTo("shop");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(hz.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(hz.getNetworkConfig().getPortCount()).isEqualTo(10);
    assertThat(hz.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(hz.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801", "10.0.0.2");
  }

  @Test
  void theShippedFileKeepsTheStructuresVertxNeedsAndQuickFailureDetection() {
    Config hz = Clustering.hazelcastConfig(cluster(new JsonObject().put("cluster.config", "../conf/cluster.xml")));
    assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(hz.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
    assertThat(hz.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(hz.getProperty("hazelcast.tcp.join.port.try.count")).isEqualTo("10");
  }

  @Test
  void withoutAFileAtTheDefaultPathTheBuiltInOneIsUsed() {
    // The tests run in app/, where conf/cluster.xml does not exist: the copy inside the jar answers.
    assertThat(Path.of(Clustering.BUILT_IN)).doesNotExist();
    Config hz = Clustering.hazelcastConfig(cluster(new JsonObject()));
    assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(hz.getClusterName()).isEqualTo("mirt");
  }

  @Test
  void aMissingOrBrokenFileIsAConfigurationErrorNamingTheSetting() throws IOException {
    assertThatThrownBy(() -> Clustering.hazelcastConfig(cluster(new JsonObject()
      .put("cluster.config", dir.resolve("nope.xml").toString()))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER_CONFIG:").hasMessageContaining("nope.xml");
    Path broken = dir.resolve("broken.xml");
    Files.writeString(broken, "<hazelcast><network><port>not a port</port></network></hazelcast>");
    assertThatThrownBy(() -> Clustering.hazelcastConfig(cluster(new JsonObject()
      .put("cluster.config", broken.toString()))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER_CONFIG:").hasMessageContaining("broken.xml");
  }

  @Test
  void aHostThatIsNoAddressIsAConfigurationError() {
    assertThatThrownBy(() -> Clustering.hazelcastConfig(cluster(new JsonObject()
      .put("cluster.host", "no-such-host.invalid"))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("CLUSTER_HOST:");
  }
}
