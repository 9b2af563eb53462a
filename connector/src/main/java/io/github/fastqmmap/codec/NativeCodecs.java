/*
 * Copyright the fastq-mmap authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.github.fastqmmap.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Which native deflate libraries this JVM uses, decided once: ISA-L ({@code libisal.so.2}) for
 * inflating, libdeflate for BGZF blocks and gzip members, each used only if it loads through JNA
 * and passes a round trip against the JDK's zlib. ISA-L is the system's package. libdeflate is the
 * jar's own build of the version Debian 12 ships ({@code native/build-libdeflate.sh}) where the jar
 * holds one for this platform (linux-x86-64), else the system's {@code libdeflate.so.0}: the same
 * bytes, and about 12% less CPU on FASTQ than Debian's build. The JDK's zlib is used without them.
 * One log line says what was chosen and why. {@code -Dfastqmmap.disableNativeCodecs=true} forces
 * the JDK; {@code -Dfastqmmap.bundledLibdeflate=false} skips the jar's libdeflate.
 */
public final class NativeCodecs {
  private static final System.Logger LOG = System.getLogger(NativeCodecs.class.getName());

  /** The system property that forces the JDK's zlib. */
  public static final String DISABLE_PROPERTY = "fastqmmap.disableNativeCodecs";

  /** The system property that, set to false, loads the system's libdeflate, not the jar's. */
  public static final String BUNDLED_LIBDEFLATE_PROPERTY = "fastqmmap.bundledLibdeflate";

  /** The version of libdeflate the jar holds, built by {@code native/build-libdeflate.sh}. */
  static final String BUNDLED_LIBDEFLATE_VERSION = "1.14";

  // Before the static block that uses it: the self-tests' data.
  private static final byte[] SAMPLE =
      ("@r1 sample\nACGTACGTTTGACCANNACGT\n+\nIIIIIIIIIIIIIIIIIIIII\n".repeat(300))
          .getBytes(StandardCharsets.US_ASCII);

  static final boolean ISAL;
  static final boolean LIBDEFLATE;
  private static final String ISAL_STATUS;
  private static final String LIBDEFLATE_STATUS;

  static {
    boolean disabled = Boolean.getBoolean(DISABLE_PROPERTY);
    String isalStatus;
    String deflateStatus;
    boolean isal = false;
    boolean libdeflate = false;
    if (disabled) {
      isalStatus = "disabled by -D" + DISABLE_PROPERTY + "=true";
      deflateStatus = isalStatus;
    } else if (!Platform.is64Bit()) {
      isalStatus = "only 64-bit platforms are supported";
      deflateStatus = isalStatus;
    } else {
      String found = load("isal", "libisal.so.2", LibIsal::register);
      if (found == null) {
        String test = selfTestIsal();
        isal = test == null;
        isalStatus = isal ? "ISA-L (libisal.so.2)" : test;
      } else {
        isalStatus = found;
      }
      // The jar's build first, then the system's; each must pass the self-test.
      String notBundled = bundledLibdeflate();
      if (notBundled == null) {
        String test = selfTestLibdeflate();
        notBundled = test == null ? null : "bundled " + test;
      }
      if (notBundled == null) {
        libdeflate = true;
        deflateStatus =
            "libdeflate "
                + BUNDLED_LIBDEFLATE_VERSION
                + " bundled in fastq-mmap ("
                + Platform.RESOURCE_PREFIX
                + ")";
      } else {
        found = load("deflate", "libdeflate.so.0", LibDeflate::register);
        String test = found == null ? selfTestLibdeflate() : found;
        libdeflate = test == null;
        deflateStatus = (libdeflate ? "libdeflate (libdeflate.so.0)" : test) + "; " + notBundled;
      }
    }
    ISAL = isal;
    LIBDEFLATE = libdeflate;
    ISAL_STATUS = isalStatus;
    LIBDEFLATE_STATUS = deflateStatus;
    LOG.log(
        isal || libdeflate || disabled ? Level.INFO : Level.WARNING,
        "fastq-mmap: gzip inflate with "
            + (isal ? ISAL_STATUS : "the JDK's zlib (ISA-L: " + ISAL_STATUS + ")")
            + "; BGZF inflate with "
            + (isal ? "ISA-L" : libdeflate ? LIBDEFLATE_STATUS : "the JDK's zlib")
            + "; BGZF and gzip deflate with "
            + (libdeflate
                ? LIBDEFLATE_STATUS
                : "the JDK's zlib (libdeflate: " + deflateStatus + ")")
            + (isal && libdeflate || disabled
                ? ""
                : ". Install Debian's libisal2 and libdeflate0 (RHEL: isa-l, libdeflate) for"
                    + " native speed."));
  }

  private NativeCodecs() {}

  private static final ThreadLocal<Boolean> JDK_ONLY = ThreadLocal.withInitial(() -> false);

  /** Work that may throw. */
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code work} with the codecs it creates on this thread using the JDK's zlib, whatever is
   * present: for tests and benchmarks that compare both paths in one JVM.
   */
  public static <T, E extends Exception> T jdkOnly(Work<T, E> work) throws E {
    boolean before = JDK_ONLY.get();
    JDK_ONLY.set(true);
    try {
      return work.run();
    } finally {
      JDK_ONLY.set(before);
    }
  }

  /** Whether ISA-L is to be used by codecs created now on this thread. */
  static boolean useIsal() {
    return ISAL && !JDK_ONLY.get();
  }

  /** Whether libdeflate is to be used by codecs created now on this thread. */
  static boolean useLibdeflate() {
    return LIBDEFLATE && !JDK_ONLY.get();
  }

  /** Whether gzip and BGZF inflate through ISA-L. */
  public static boolean isalAvailable() {
    return ISAL;
  }

  /** Whether BGZF blocks deflate (and, without ISA-L, inflate) through libdeflate. */
  public static boolean libdeflateAvailable() {
    return LIBDEFLATE;
  }

  /** What inflates plain gzip, for logs and tests: a library's name or why it is not used. */
  public static String isalStatus() {
    return ISAL_STATUS;
  }

  public static String libdeflateStatus() {
    return LIBDEFLATE_STATUS;
  }

  private interface Registrar {
    void register(NativeLibrary library);
  }

  /**
   * Where the jar keeps its libdeflate build for this platform (JNA's platform name); on platforms
   * without one, nothing is there.
   */
  public static String bundledLibdeflateResource() {
    return "/io/github/fastqmmap/codec/" + Platform.RESOURCE_PREFIX + "/libdeflate.so.0";
  }

  /**
   * Registers the jar's libdeflate for this platform, unless turned off; null when registered, else
   * why not.
   */
  private static String bundledLibdeflate() {
    if (!Boolean.parseBoolean(System.getProperty(BUNDLED_LIBDEFLATE_PROPERTY, "true"))) {
      return "bundled libdeflate turned off by -D" + BUNDLED_LIBDEFLATE_PROPERTY + "=false";
    }
    String resource = bundledLibdeflateResource();
    URL url = NativeCodecs.class.getResource(resource);
    if (url == null) {
      return "no bundled libdeflate for " + Platform.RESOURCE_PREFIX;
    }
    try {
      File file = Native.extractFromResourcePath(resource, NativeCodecs.class.getClassLoader());
      try {
        LibDeflate.register(NativeLibrary.getInstance(file.getAbsolutePath()));
      } finally {
        // Out of a jar, JNA copied it into jna.tmpdir; mapped once loaded, the copy is not needed.
        if (!"file".equals(url.getProtocol())) {
          Files.deleteIfExists(file.toPath());
        }
      }
      return null;
    } catch (Throwable e) { // IOException, UnsatisfiedLinkError (a glibc older than 2.14)
      return "bundled libdeflate not loaded (" + e + ")";
    }
  }

  /** Loads a library by its versioned file name, then by its plain name; null when loaded. */
  private static String load(String name, String soname, Registrar registrar) {
    Throwable failure = null;
    for (String candidate : new String[] {soname, name}) {
      try {
        registrar.register(NativeLibrary.getInstance(candidate));
        return null;
      } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, SecurityException
        if (failure == null) {
          failure = e;
        }
      }
    }
    return soname + " not loaded (" + failure + ")";
  }

  private static byte[] jdkDeflate(byte[] data) {
    Deflater d = new Deflater(6, true);
    try {
      d.setInput(data);
      d.finish();
      byte[] out = new byte[data.length + 1024];
      int n = 0;
      while (!d.finished()) {
        n += d.deflate(out, n, out.length - n);
      }
      return Arrays.copyOf(out, n);
    } finally {
      d.end();
    }
  }

  /** Null when ISA-L inflates a JDK-deflated sample right, with the struct offsets assumed. */
  private static String selfTestIsal() {
    try (NativeBlock in = NativeBlock.of(jdkDeflate(SAMPLE), 16);
        NativeBlock out = new NativeBlock(SAMPLE.length + 64);
        IsalState state = new IsalState()) {
      // The 16 bytes after the stream must come back unread: gzip members follow each other.
      state.setInput(in.address(), in.length());
      state.setOutput(out.address(), out.length());
      int r = state.inflate();
      if (r != LibIsal.DECOMP_OK
          || !state.finished()
          || state.totalOut() != SAMPLE.length
          || state.availIn() + state.unusedInputBytes() != 16
          || !Arrays.equals(out.bytes(SAMPLE.length), SAMPLE)) {
        return "libisal.so.2 loaded but failed the self-test (result "
            + r
            + ", an ISA-L version with another struct inflate_state layout?)";
      }
      return null;
    } catch (Throwable e) {
      return "libisal.so.2 failed the self-test (" + e + ")";
    }
  }

  private static String selfTestLibdeflate() {
    long compressor = 0;
    long decompressor = 0;
    try (NativeBlock in = NativeBlock.of(SAMPLE, 0);
        NativeBlock packed = new NativeBlock(SAMPLE.length + 1024);
        NativeBlock out = new NativeBlock(SAMPLE.length + 64);
        NativeBlock actual = new NativeBlock(8)) {
      compressor = LibDeflate.libdeflate_alloc_compressor(6);
      decompressor = LibDeflate.libdeflate_alloc_decompressor();
      if (compressor == 0 || decompressor == 0) {
        return "libdeflate could not allocate a (de)compressor";
      }
      long n =
          LibDeflate.libdeflate_deflate_compress(
              compressor, in.address(), SAMPLE.length, packed.address(), packed.length());
      int r =
          LibDeflate.libdeflate_deflate_decompress(
              decompressor, packed.address(), n, out.address(), out.length(), actual.address());
      if (n <= 0
          || r != LibDeflate.SUCCESS
          || actual.getLong(0) != SAMPLE.length
          || !Arrays.equals(out.bytes(SAMPLE.length), SAMPLE)) {
        return "libdeflate loaded but failed the self-test";
      }
      return null;
    } catch (Throwable e) {
      return "libdeflate failed the self-test (" + e + ")";
    } finally {
      if (compressor != 0) {
        LibDeflate.libdeflate_free_compressor(compressor);
      }
      if (decompressor != 0) {
        LibDeflate.libdeflate_free_decompressor(decompressor);
      }
    }
  }
}
