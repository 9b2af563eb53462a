/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fastqmmap.examples.QcReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Spark on YARN over HDFS, from Maven jars alone: a MiniDFSCluster and a MiniYARNCluster (one
 * ResourceManager, one NodeManager) in this JVM, their configuration in a HADOOP_CONF_DIR, and the
 * QC example submitted with {@code --master yarn} in client and in cluster deploy mode (two
 * executors in YARN containers), the input on HDFS and only the connector jar shipped with {@code
 * --jars}. The summary equals a plain parse's, as the local run's does (SparkSubmitQcIT).
 *
 * <p>Locality: the DataNode and the NodeManager both go by the name of a second loopback address
 * (127.0.0.2; the minicluster's own names never match, and "localhost" is no preference at all), so
 * every scan task that YARN's executors run is NODE_LOCAL when the scan's partitions prefer their
 * blocks' hosts; the Spark event log says at which locality each task ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class YarnIT {
  private static final int TOP = 20;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(8);

  /** A loopback address other than 127.0.0.1 (Linux routes all of 127.0.0.0/8 to lo). */
  private static final String NODE_ADDRESS = "127.0.0.2";

  private String nodeName;
  private MiniDFSCluster dfs;
  private MiniYARNCluster yarn;
  private java.nio.file.Path confDir;
  private final List<String> hdfsInputs = new ArrayList<>();
  private FastqData.Reference reference;

  @BeforeAll
  void start() throws IOException {
    java.nio.file.Path base = ItEnv.workDir("yarn");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
    conf.setLong("dfs.blocksize", 1 << 20);
    conf.setInt("dfs.replication", 1);
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.https-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    // Both the DataNode and the NodeManager go by the name of NODE_ADDRESS (see nodeName()), so
    // that the blocks' hosts are the executors' host. The client reaches the DataNode by its
    // address, not its name.
    nodeName = nodeName();
    if (nodeName != null) {
      conf.set("dfs.datanode.hostname", nodeName);
    }
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).checkDataNodeHostConfig(true).build();
    dfs.waitActive();
    FileSystem hdfs = dfs.getFileSystem();
    List<java.nio.file.Path> inputs = FastqData.qcInputs();
    reference = FastqData.reference(inputs);
    for (java.nio.file.Path in : inputs) {
      Path p = new Path("/data/" + in.getFileName());
      try (OutputStream out = hdfs.create(p, true)) {
        Files.copy(in, out);
      }
      hdfsInputs.add(hdfs.makeQualified(p).toString());
    }

    YarnConfiguration yconf = new YarnConfiguration(dfs.getConfiguration(0));
    // The FIFO scheduler: the capacity scheduler needs a capacity-scheduler.xml of queues.
    yconf.set(
        YarnConfiguration.RM_SCHEDULER,
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    yconf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    yconf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
    yconf.setInt(YarnConfiguration.NM_VCORES, 4);
    yconf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    yconf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    // The disks of a build machine are often fuller than YARN's default 90 % allows.
    yconf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
    yconf.set(YarnConfiguration.NM_ENV_WHITELIST, "JAVA_HOME,PATH,LANG,TZ");
    yarn = new MiniYARNCluster("fastq-mmap-yarn", 1, 1, 1);
    yarn.init(yconf);
    if (nodeName != null) {
      // MiniYARNCluster sets the NodeManager's address to localhost:0 while it initialises it;
      // its container manager binds only on start, to what its configuration then says.
      yarn.getNodeManager(0).getConfig().set(YarnConfiguration.NM_ADDRESS, NODE_ADDRESS + ":0");
    }
    yarn.start();

    confDir = ItEnv.workDir("yarn-conf");
    Configuration live = new Configuration(yarn.getConfig());
    // MiniDFSCluster's rack mapping is a Hadoop test class that Spark's Hadoop client lacks.
    live.unset("net.topology.node.switch.mapping.impl");
    for (String name : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(name))) {
        live.writeXml(out);
      }
    }
  }

  /**
   * The name a NodeManager at {@link #NODE_ADDRESS} registers with (its address's canonical host
   * name, as YARN takes it), which Spark's executors in its containers then report as their host;
   * null when that name is "localhost", which Spark (and this source, alike) drops from preferred
   * locations since it tells a scheduler nothing. The minicluster's defaults are such names
   * (NodeManager "localhost", DataNode "127.0.0.1"), hence a second loopback address.
   */
  private static String nodeName() throws IOException {
    String name = InetAddress.getByName(NODE_ADDRESS).getCanonicalHostName();
    return "localhost".equals(name) ? null : name;
  }

  @AfterAll
  void stop() {
    try {
      if (yarn != null) {
        yarn.stop();
      }
    } finally {
      if (dfs != null) {
        dfs.shutdown();
      }
    }
  }

  private void submit(String name, String deployMode) throws Exception {
    java.nio.file.Path out = ItEnv.workDir("yarn-" + name);
    Files.deleteIfExists(out.resolve(QcReport.SUMMARY_TSV));
    java.nio.file.Path events = ItEnv.workDir("yarn-" + name + "-events");
    try (Stream<java.nio.file.Path> old = Files.walk(events)) {
      for (java.nio.file.Path f :
          old.filter(f -> !f.equals(events)).sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    String java = System.getProperty("java.home");
    List<String> args = new ArrayList<>(SparkSubmit.commonConf());
    args.addAll(
        List.of(
            "--master",
            "yarn",
            "--deploy-mode",
            deployMode,
            "--driver-memory",
            "512m",
            "--executor-memory",
            "512m",
            "--executor-cores",
            "1",
            "--num-executors",
            "2",
            "--conf",
            "spark.yarn.am.memory=512m",
            "--conf",
            "spark.yarn.am.extraJavaOptions=" + ItEnv.sparkJavaOptions(),
            "--conf",
            "spark.yarn.appMasterEnv.JAVA_HOME=" + java,
            "--conf",
            "spark.executorEnv.JAVA_HOME=" + java,
            "--conf",
            "spark.yarn.submit.waitAppCompletion=true",
            // In cluster mode the driver runs in the AM container, where Spark would advertise
            // the first non-loopback address (which this machine may not route) while
            // spark.driver.bindAddress keeps it on the loopback; executors likewise.
            "--conf",
            "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
            "--conf",
            "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
            "--conf",
            "spark.eventLog.enabled=true",
            "--conf",
            "spark.eventLog.compress=false",
            "--conf",
            "spark.eventLog.dir=" + events.toUri(),
            "--jars",
            ItEnv.connectorJar().toString(),
            "--class",
            "io.github.fastqmmap.examples.FastqQc",
            ItEnv.examplesJar().toString(),
            "--out",
            out.toString(),
            "--top",
            Integer.toString(TOP),
            "--option",
            "maxPartitionBytes=512k"));
    args.addAll(hdfsInputs);
    SparkSubmit.Result r =
        SparkSubmit.run(
            "yarn-" + name, args, SUBMIT_TIMEOUT, Map.of("HADOOP_CONF_DIR", confDir.toString()));
    assertThat(r.exitCode).as(r.toString()).isZero();
    System.out.println("yarn " + name + ": " + r);
    assertThat(Files.readString(out.resolve(QcReport.SUMMARY_TSV), StandardCharsets.UTF_8))
        .isEqualTo(reference.summaryTsv(TOP));
    assertScanTasksRanNodeLocal(events);
  }

  /**
   * The scan's tasks ran where their blocks are. The first stage whose RDDs include a DataSourceRDD
   * reads the files (nothing is cached yet): all its tasks ran NODE_LOCAL, a level Spark launches a
   * task at only on an executor whose host the partition prefers (a task without preferences runs
   * at PROCESS_LOCAL, one preferring other hosts at ANY after the locality wait). Later stages over
   * the same scan ran NODE_LOCAL too, or PROCESS_LOCAL where they read the QC job's cached
   * partitions from the executor that holds them; never RACK_LOCAL or ANY.
   */
  private void assertScanTasksRanNodeLocal(java.nio.file.Path events) throws IOException {
    // Spark 4 rolls event logs by default: a folder of event files per application.
    List<java.nio.file.Path> logs;
    try (Stream<java.nio.file.Path> files = Files.walk(events)) {
      logs =
          files
              .filter(Files::isRegularFile)
              .filter(f -> f.getFileName().toString().startsWith("events_"))
              .sorted()
              .toList();
    }
    assertThat(logs).as("event logs in " + events).isNotEmpty();
    Set<Integer> scanStages = new TreeSet<>();
    Map<Integer, List<String>> localities = new TreeMap<>();
    for (java.nio.file.Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains("\"Event\":\"SparkListenerStageSubmitted\"")
            && line.contains("\"Name\":\"DataSourceRDD\"")) {
          scanStages.add(Integer.valueOf(field(STAGE_ID, line)));
        } else if (line.contains("\"Event\":\"SparkListenerTaskEnd\"")) {
          localities
              .computeIfAbsent(Integer.valueOf(field(STAGE_ID, line)), k -> new ArrayList<>())
              .add(field(LOCALITY, line));
        }
      }
    }
    localities.keySet().retainAll(scanStages);
    System.out.println("localities of the scan stages' tasks, by stage: " + localities);
    assertThat(localities).as("scan stages in " + logs).isNotEmpty();
    assumeTrue(
        nodeName != null,
        NODE_ADDRESS
            + " is named localhost here: executors and DataNode are both \"localhost\","
            + " which no scan prefers");
    assertThat(localities.values().iterator().next()).isNotEmpty().containsOnly("NODE_LOCAL");
    localities.values().forEach(l -> assertThat(l).isSubsetOf("NODE_LOCAL", "PROCESS_LOCAL"));
  }

  private static final Pattern STAGE_ID = Pattern.compile("\"Stage ID\":(\\d+)");
  private static final Pattern LOCALITY = Pattern.compile("\"Locality\":\"(\\w+)\"");

  private static String field(Pattern p, String line) {
    Matcher m = p.matcher(line);
    assertThat(m.find()).as(p + " in " + line).isTrue();
    return m.group(1);
  }

  @Test
  @Order(1)
  void clientModeEqualsAPlainParseAndScansNodeLocal() throws Exception {
    submit("client", "client");
  }

  @Test
  @Order(2)
  void clusterModeEqualsAPlainParseAndScansNodeLocal() throws Exception {
    submit("cluster", "cluster");
  }
}
