/**
 * RESP2 as 0-db speaks it: {@link dev.quilt.zdb.resp.RespValue} for values,
 * {@link dev.quilt.zdb.resp.RespDecoder} for requests (server side), {@link dev.quilt.zdb.resp.RespReplyDecoder}
 * for replies (client side), {@link dev.quilt.zdb.resp.RespEncoder} for both directions, and
 * {@link dev.quilt.zdb.resp.RespLimits} for what a peer may send.
 */
package dev.quilt.zdb.resp;
