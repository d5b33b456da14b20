package p2pool4j.sharechain;

/** A SHA-256 midstate of the gentx prefix (section 7.6): eight chaining words big-endian, and the byte count. */
public record HashLink(byte[] state, long length) {}
