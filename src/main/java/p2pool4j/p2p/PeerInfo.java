package p2pool4j.p2p;

/** One peer as the UI and API show it. */
public record PeerInfo(String address, int port, boolean incoming, long version, String subVersion, long connectedSince,
        long sharesReceived, long sharesSent, long bytesReceived, long bytesSent) {}
