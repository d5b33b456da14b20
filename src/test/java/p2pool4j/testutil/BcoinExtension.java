package p2pool4j.testutil;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** One bcoin regtest node per test class: {@code @ExtendWith(BcoinExtension.class)} and a BcoinNode parameter. */
public final class BcoinExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BcoinExtension.class);

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        ctx.getStore(NS).put("node", BcoinNode.start());
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        BcoinNode n = ctx.getStore(NS).remove("node", BcoinNode.class);
        if (n != null) {
            n.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == BcoinNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext c = e;
        while (c != null) {
            BcoinNode n = c.getStore(NS).get("node", BcoinNode.class);
            if (n != null) {
                return n;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("no bcoin node started");
    }
}
