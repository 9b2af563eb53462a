/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fastqmmap.examples.QcReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * QC example submitted with {@code --master yarn} in client deploy mode (two executors in YARN
 * containers), the input on HDFS and only the connector jar shipped with {@code --jars}. The
 * summary equals a plain parse's, as the local run's does (SparkSubmitQcIT). Cluster deploy mode is
 * not here yet: its driver, in the AM container, advertised the machine's address while bound to
 * 127.0.0.1 (executors: "Connection refused"); SPARK_LOCAL_IP in the AM's environment is the
 * untested fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class YarnIT {
  private static final int TOP = 20;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(8);

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
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
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

  private String submit(String name, String deployMode) throws Exception {
    java.nio.file.Path out = ItEnv.workDir("yarn-" + name);
    Files.deleteIfExists(out.resolve(QcReport.SUMMARY_TSV));
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
            "spark.yarn.appMasterEnv.JAVA_HOME=" + java,
            "--conf",
            "spark.executorEnv.JAVA_HOME=" + java,
            "--conf",
            "spark.yarn.submit.waitAppCompletion=true",
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
    return Files.readString(out.resolve(QcReport.SUMMARY_TSV), StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void clientModeEqualsAPlainParse() throws Exception {
    assertThat(submit("client", "client")).isEqualTo(reference.summaryTsv(TOP));
  }
}
