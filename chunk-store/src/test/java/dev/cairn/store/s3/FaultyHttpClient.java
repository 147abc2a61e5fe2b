package dev.cairn.store.s3;

import dev.cairn.store.BlobStore;
import dev.cairn.store.RetryingBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * An HTTP client for the S3 SDK that injects faults in front of a real one: throttling (503 SlowDown), server
 * errors (500), slow responses, connections dropped before the request is sent, and responses lost after the
 * server has acted on the request. A schedule maps the n-th request to a fault.
 */
public final class FaultyHttpClient implements SdkHttpClient {
    /** What happens to one request. */
    public enum Fault { NONE, THROTTLE, SERVER_ERROR, SLOW, DROP_BEFORE, DROP_AFTER }

    private final SdkHttpClient inner = Apache5HttpClient.builder().maxConnections(32).build();
    private final LongFunction<Fault> schedule;
    private final AtomicLong requests = new AtomicLong();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final int dataPutTrigger;
    private final Runnable onDataPut;
    private final AtomicLong dataPuts = new AtomicLong();

    public FaultyHttpClient(LongFunction<Fault> schedule) {
        this(schedule, 0, null);
    }

    private FaultyHttpClient(LongFunction<Fault> schedule, int dataPutTrigger, Runnable onDataPut) {
        this.schedule = schedule;
        this.dataPutTrigger = dataPutTrigger;
        this.onDataPut = onDataPut;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
    }

    /** No faults, but {@code action} runs just before the {@code k}-th PUT of a pack is sent (to stop the server). */
    public static FaultyHttpClient atDataPut(int k, Runnable action) {
        return new FaultyHttpClient(n -> Fault.NONE, k, action);
    }

    /** Every {@code every}-th request fails, cycling through all the kinds of fault. */
    public static LongFunction<Fault> cycling(int every) {
        Fault[] kinds = {Fault.THROTTLE, Fault.SERVER_ERROR, Fault.SLOW, Fault.DROP_BEFORE, Fault.DROP_AFTER};
        return n -> n % every == every - 1 ? kinds[(int) ((n / every) % kinds.length)] : Fault.NONE;
    }

    /**
     * An S3 store on {@code settings} whose requests go through a client with {@code schedule}'s faults, wrapped
     * in the retrying decorator with short delays (as the CLI wraps the real one).
     */
    public static BlobStore retryingStore(S3Settings settings, FaultyHttpClient client) {
        return RetryingBlobStore.wrap(S3BlobStore.open(settings, client),
                new RetryingBlobStore.Policy(8, Duration.ofMillis(5), Duration.ofMillis(100)));
    }

    /** The S3 store itself over {@code client}, without retries. */
    public static S3BlobStore store(S3Settings settings, FaultyHttpClient client) {
        return S3BlobStore.open(settings, client);
    }

    /** How many faults of each kind were injected. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (onDataPut != null && request.httpRequest().method() == software.amazon.awssdk.http.SdkHttpMethod.PUT
                && request.httpRequest().encodedPath().contains("/data/")
                && dataPuts.incrementAndGet() == dataPutTrigger) {
            onDataPut.run();
        }
        Fault f = schedule.apply(requests.getAndIncrement());
        injected.get(f).incrementAndGet();
        return switch (f) {
            case NONE -> inner.prepareRequest(request);
            case THROTTLE -> canned(503, "SlowDown", "Please reduce your request rate.");
            case SERVER_ERROR -> canned(500, "InternalError", "We encountered an internal error.");
            case SLOW -> {
                ExecutableHttpRequest real = inner.prepareRequest(request);
                yield new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        try {
                            Thread.sleep(150);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return real.call();
                    }

                    @Override
                    public void abort() {
                        real.abort();
                    }
                };
            }
            case DROP_BEFORE -> new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    throw new java.net.SocketException("Connection reset (injected, before sending)");
                }

                @Override
                public void abort() {
                }
            };
            case DROP_AFTER -> {
                ExecutableHttpRequest real = inner.prepareRequest(request);
                yield new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        HttpExecuteResponse r = real.call();
                        if (r.responseBody().isPresent()) {
                            r.responseBody().get().readAllBytes();
                            r.responseBody().get().close();
                        }
                        throw new java.net.SocketException("Connection reset (injected, after the server answered)");
                    }

                    @Override
                    public void abort() {
                        real.abort();
                    }
                };
            }
        };
    }

    private static ExecutableHttpRequest canned(int status, String code, String message) {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(status)
                                .putHeader("Content-Type", "application/xml")
                                .putHeader("Content-Length", Integer.toString(body.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
        inner.close();
    }
}
