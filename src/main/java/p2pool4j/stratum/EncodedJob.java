package p2pool4j.stratum;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import p2pool4j.bitcoin.Hex;
import p2pool4j.work.Job;

/**
 * A job as Stratum sends it: its id on this worker-port instance and its {@code mining.notify}
 * line with clean_jobs true and false, encoded once and written to every session as is
 * (a Buffer written to a socket is duplicated, never consumed).
 */
record EncodedJob(Job job, String id, Buffer clean, Buffer update, double shareDifficulty) {
    static EncodedJob of(Job job, String id) {
        JsonArray branch = new JsonArray();
        job.share().merkleBranch().forEach(h -> branch.add(h.toWireHex()));
        JsonArray params = new JsonArray().add(id).add(Hex.encode(p2pool4j.bitcoin.WordSwap.swap4(job.previousBlock().bytes())))
                .add(Hex.encode(job.share().coinb1())).add(Hex.encode(job.share().coinb2())).add(branch)
                .add(String.format("%08x", job.version())).add(String.format("%08x", job.bits()))
                .add(String.format("%08x", job.ntime()));
        return new EncodedJob(job, id, notify(params.copy().add(true)), notify(params.add(false)),
                p2pool4j.bitcoin.Targets.bdiff(job.shareTarget()));
    }

    private static Buffer notify(JsonArray params) {
        return Buffer.buffer(new JsonObject().putNull("id").put("method", "mining.notify").put("params", params).encode() + "\n");
    }

    Buffer line(boolean cleanJobs) {
        return cleanJobs ? clean : update;
    }
}
