package io.rvi.agent.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rvi.agent.redis.Resp;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe client's RESP codec. */
class SupervisionRespTest {
    @Test
    void encodesCommandsAsBulkStringArrays() {
        assertEquals("*2\r\n$4\r\nAUTH\r\n$3\r\np\u00e9\r\n", Resp.command("AUTH", "p\u00e9").toString());
    }

    @Test
    void decodesEveryType() {
        Resp.Decoder d = decoder("+PONG\r\n-LOADING Redis is loading\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*-1\r\n$0\r\n\r\n");
        assertEquals("PONG", d.next());
        Resp.Error e = (Resp.Error) d.next();
        assertEquals("LOADING", e.code());
        assertEquals(42L, d.next());
        assertEquals("hello", d.next());
        assertSame(Resp.NULL, d.next());
        assertSame(Resp.NULL, d.next());
        assertEquals("", d.next());
        assertNull(d.next());
    }

    @Test
    void decodesNestedRoleReply() {
        Resp.Decoder d = decoder("*3\r\n$6\r\nmaster\r\n:3129659\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$7\r\n3129242\r\n");
        assertEquals(List.of("master", 3129659L, List.of(List.of("127.0.0.1", "9001", "3129242"))), d.next());
    }

    @Test
    void waitsForCompleteRepliesAcrossChunks() {
        String all = "*2\r\n$8\r\nsentinel\r\n*0\r\n+PONG\r\n";
        Resp.Decoder d = new Resp.Decoder();
        List<Object> replies = new java.util.ArrayList<>();
        for (int i = 0; i < all.length(); i++) {
            d.feed(Buffer.buffer(all.substring(i, i + 1)));
            for (Object v = d.next(); v != null; v = d.next()) {
                replies.add(v);
            }
        }
        assertEquals(List.of(List.of("sentinel", List.of()), "PONG"), replies);
    }

    @Test
    void rejectsWhatIsNotResp() {
        Resp.Decoder d = decoder("HTTP/1.1 400 Bad Request\r\n");
        assertThrows(Resp.ProtocolException.class, d::next);
        Resp.Decoder big = decoder("$999999999\r\n");
        assertThrows(Resp.ProtocolException.class, big::next);
        Resp.Decoder bad = decoder(":12x\r\n");
        assertThrows(Resp.ProtocolException.class, bad::next);
    }

    private static Resp.Decoder decoder(String s) {
        Resp.Decoder d = new Resp.Decoder();
        d.feed(Buffer.buffer(s));
        return d;
    }
}
