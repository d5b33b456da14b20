package p2pool4j.sharechain;

/**
 * Why a share was refused, and what the peer that sent it deserves (protocol spec 3.4, 4.5,
 * 10.1, 10.2 and 12.2): a ban for misbehaviour (bad PoW, bad target, a share failing check()),
 * a plain disconnect for what the reference only disconnects on, or nothing for obsolete types.
 */
public enum Rejection {
    OBSOLETE_TYPE(Action.IGNORE, "obsolete share type"),
    UNKNOWN_TYPE(Action.DISCONNECT, "unknown share type"),
    MALFORMED(Action.DISCONNECT, "malformed share"),
    BAD_COINBASE_SIZE(Action.DISCONNECT, "bad coinbase size"),
    BAD_ADDRESS(Action.DISCONNECT, "payout address does not convert to a script"),
    OBSOLETE_DESIRED_VERSION(Action.DISCONNECT, "desired_version 16 after the v17 switch"),
    BAD_TRANSACTION_REFS(Action.DISCONNECT, "bad transaction hash references"),
    TARGET_ABOVE_MAX(Action.BAN, "share target invalid"),
    POW_INVALID(Action.BAN, "share PoW invalid"),
    TIMESTAMP_IN_FUTURE(Action.BAN, "share timestamp more than 600 s in the future"),
    SWITCH_WITHOUT_HISTORY(Action.BAN, "switch without enough history"),
    SWITCH_WITHOUT_HASHPOWER(Action.BAN, "switch without enough hash power upgraded"),
    VERSION_CANNOT_FOLLOW(Action.BAN, "share version can't follow its parent's"),
    SHARE_INFO_INVALID(Action.BAN, "share_info invalid"),
    GENTX_MISMATCH(Action.BAN, "gentx doesn't match hash_link"),
    MERKLE_LINK_MISMATCH(Action.BAN, "merkle_link doesn't match the transactions"),
    UNKNOWN_TRANSACTION(Action.DISCONNECT, "share references a transaction we do not know");

    public enum Action { IGNORE, DISCONNECT, BAN }

    private final Action action;
    private final String message;

    Rejection(Action action, String message) {
        this.action = action;
        this.message = message;
    }

    public Action action() {
        return action;
    }

    public String message() {
        return message;
    }

    /** The name used in logs, the API and the inspect command: "share_info_invalid". */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
