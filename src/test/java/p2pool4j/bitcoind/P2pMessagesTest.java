package p2pool4j.bitcoind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.FrameCodec;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.net.FrameReader;

class P2pMessagesTest {
    @Test
    void headersAndInvRoundTrip() {
        BlockHeader genesis = ChainParams.REGTEST.genesisBlock().header();
        List<BlockHeader> back = P2pMessages.parseHeaders(P2pMessages.headers(List.of(genesis, genesis)));
        assertEquals(2, back.size());
        assertEquals(ChainParams.REGTEST.genesisHash(), back.get(1).hash());
        P2pMessages.Inv inv = new P2pMessages.Inv(P2pMessages.MSG_BLOCK, ChainParams.REGTEST.genesisHash());
        assertEquals(List.of(inv), P2pMessages.parseInv(P2pMessages.inv(List.of(inv))));
        P2pMessages.Version v = P2pMessages.parseVersion(P2pMessages.version(1, 2, "/x:1/"));
        assertEquals(P2pMessages.PROTOCOL_VERSION, v.protocol());
        assertEquals("/x:1/", v.userAgent());
    }

    @Test
    void hostileCountsAndTruncationsAreParseErrors() {
        assertThrows(ParseException.class, () -> P2pMessages.parseInv(Hex.decode("fe00000001")));
        assertThrows(ParseException.class, () -> P2pMessages.parseInv(Hex.decode("ff0000000000000001")));
        assertThrows(ParseException.class, () -> P2pMessages.parseHeaders(Hex.decode("fdd007" + "00".repeat(81))));
        assertThrows(ParseException.class, () -> P2pMessages.parseHeaders(Hex.decode("01" + "00".repeat(80) + "01")));
        assertThrows(ParseException.class, () -> P2pMessages.parseVersion(Hex.decode("7f110100")));
        byte[] inv = P2pMessages.inv(List.of(new P2pMessages.Inv(2, Sha256Hash.ZERO)));
        byte[] trailing = java.util.Arrays.copyOf(inv, inv.length + 1);
        assertThrows(ParseException.class, () -> P2pMessages.parseInv(trailing));
    }

    @Test
    void frameReaderSplitsStreamsAndStopsAtTheFirstBadFrame() {
        FrameCodec codec = new FrameCodec(ChainParams.REGTEST.p2pMagic(), 1000);
        List<FrameReader.Frame> frames = new ArrayList<>();
        List<FrameCodec.FrameException> errors = new ArrayList<>();
        FrameReader r = new FrameReader(codec, frames::add, errors::add);
        byte[] a = codec.encode("ping", new byte[8]);
        byte[] b = codec.encode("verack", new byte[0]);
        Buffer stream = Buffer.buffer().appendBytes(a).appendBytes(b).appendBytes(a);
        // Byte by byte, as the worst TCP segmentation would deliver it.
        for (int i = 0; i < stream.length(); i++) {
            r.handle(stream.getBuffer(i, i + 1));
        }
        assertEquals(List.of("ping", "verack", "ping"), frames.stream().map(FrameReader.Frame::command).toList());
        byte[] oversize = codec.encode("ping", new byte[0]);
        oversize[16] = (byte) 0xe9;
        oversize[17] = 0x03; // 1001 > limit
        r.handle(Buffer.buffer(oversize));
        r.handle(Buffer.buffer(a));
        assertEquals(1, errors.size());
        assertEquals(FrameCodec.Problem.OVERSIZE, errors.get(0).problem());
        assertEquals(3, frames.size(), "nothing is read after a bad frame");
        FrameReader r2 = new FrameReader(codec, frames::add, errors::add);
        byte[] badSum = codec.encode("ping", new byte[8]);
        badSum[20] ^= 1;
        r2.handle(Buffer.buffer(badSum));
        assertEquals(FrameCodec.Problem.BAD_CHECKSUM, errors.get(1).problem());
        assertTrue(frames.size() == 3);
    }

    @Test
    void bitcoinConfSectionsOverrideGlobals() {
        String conf = "rpcuser=alice\nrpcpassword=secret # comment\nrpcport=1\n[regtest]\nrpcport=18443\n[main]\nrpcport=8332\n";
        BitcoinConf c = BitcoinConf.parse(conf, ChainParams.REGTEST);
        assertEquals(18443, c.port("rpcport").orElseThrow());
        assertEquals("secret", c.get("rpcpassword").orElseThrow());
        assertEquals(8332, BitcoinConf.parse(conf, ChainParams.MAIN).port("rpcport").orElseThrow());
        assertEquals(1, BitcoinConf.parse(conf, ChainParams.TESTNET).port("rpcport").orElseThrow());
        assertEquals("x", BitcoinConf.parse("regtest.rpcuser=x", ChainParams.REGTEST).get("rpcuser").orElseThrow());
        assertEquals("u", RpcCredentials.fromCookie("u:p\n").user());
        assertThrows(IllegalArgumentException.class, () -> RpcCredentials.fromCookie("nocolon"));
    }
}
