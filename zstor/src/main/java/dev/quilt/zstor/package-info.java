/**
 * zstor: dispersed, encrypted, erasure-coded object storage over many zdb backends.
 */
package dev.quilt.zstor;
