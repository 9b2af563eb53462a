/**
 * Internal: inflate and deflate through native libraries (ISA-L, libdeflate) loaded with JNA, with
 * the JDK's zlib as the fallback. Public only because the decoders in {@code stream} use it; not an
 * API, and it may change in any release.
 */
package io.github.fastqmmap.codec;
