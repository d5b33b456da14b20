package p2pool4j.p2p;

import java.util.List;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/** The messages of the P2Pool peer protocol (spec section 3), one record per command. */
public sealed interface Message {
    String command();

    /** A share as it travels: its type and opaque contents (parsed later, by the sharechain). */
    record RawShare(long type, byte[] contents) {}

    record Version(long version, long services, NetAddress addrTo, NetAddress addrFrom, long nonce, String subVersion, long mode,
            Sha256Hash bestShareHash) implements Message {
        public String command() {
            return "version";
        }
    }

    record Ping() implements Message {
        public String command() {
            return "ping";
        }
    }

    record AddrMe(int port) implements Message {
        public String command() {
            return "addrme";
        }
    }

    record AddrRecord(long timestamp, NetAddress address) {}

    record Addrs(List<AddrRecord> addrs) implements Message {
        public String command() {
            return "addrs";
        }
    }

    record GetAddrs(long count) implements Message {
        public String command() {
            return "getaddrs";
        }
    }

    record Shares(List<RawShare> shares) implements Message {
        public String command() {
            return "shares";
        }
    }

    record ShareReq(Sha256Hash id, List<Sha256Hash> hashes, long parents, List<Sha256Hash> stops) implements Message {
        public String command() {
            return "sharereq";
        }
    }

    record ShareReply(Sha256Hash id, int result, List<RawShare> shares) implements Message {
        public static final int GOOD = 0;
        public static final int TOO_LONG = 1;

        public String command() {
            return "sharereply";
        }
    }

    record BestBlock(BlockHeader header) implements Message {
        public String command() {
            return "bestblock";
        }
    }

    record HaveTx(List<Sha256Hash> txHashes) implements Message {
        public String command() {
            return "have_tx";
        }
    }

    record LosingTx(List<Sha256Hash> txHashes) implements Message {
        public String command() {
            return "losing_tx";
        }
    }

    record ForgetTx(List<Sha256Hash> txHashes) implements Message {
        public String command() {
            return "forget_tx";
        }
    }

    record RememberTx(List<Sha256Hash> txHashes, List<Transaction> txs) implements Message {
        public String command() {
            return "remember_tx";
        }
    }
}
