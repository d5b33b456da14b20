package p2pool4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;

/** The service's logging as the XML file had it: one stdout appender, the libraries at WARN; an operator's own file still wins. */
class LogSetupTest {
    @Test
    void setsUpWhatTheXmlFileDid() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, setup.configure(context));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertNotNull(root.getAppender("STDOUT"));
        assertNotNull(root.getLevel());
        for (String quiet : new String[] {"io.netty", "io.vertx", "com.zaxxer.hikari"}) {
            assertEquals(Level.WARN, context.getLogger(quiet).getLevel(), quiet);
        }
    }

    @Test
    void leavesAnOperatorsConfigurationFileToLogback() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        System.setProperty("logback.configurationFile", "/etc/p2pool4j/logback.xml");
        try {
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
            assertNull(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT"));
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}
