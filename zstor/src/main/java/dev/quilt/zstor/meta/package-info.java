/**
 * One encrypted, versioned record per object: {@link dev.quilt.zstor.meta.MetadataRecord} and its
 * canonical encoding {@link dev.quilt.zstor.meta.MetadataCodec}.
 */
package dev.quilt.zstor.meta;
