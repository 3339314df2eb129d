package io.leasehold.test.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A discrete-event simulation of processes calling a store that is linearizable (unless a bug is
 * switched on), recording a history with exact times. Each operation takes effect at a random
 * instant inside its interval; an operation whose response is "lost" becomes unknown, and then took
 * effect (possibly after its caller gave up) or never did.
 */
final class Simulation {
    enum Kind { COUNTER, REGISTER }

    /** Store faults to inject, each at one chosen operation. */
    enum Bug {
        NONE,
        /** An addition answers as if applied but the store keeps the old value. */
        LOST_UPDATE,
        /** An addition whose answer is lost is applied twice. */
        DOUBLE_APPLY,
        /** A register read returns the version before the current one. */
        STALE_READ
    }

    private final Kind kind;
    private final Random random;
    private int processes = 8;
    private int keys = 1;
    private double unknownRate = 0.02;
    private double appliedWhenUnknown = 0.5;
    private double readRate = 0.2;
    private boolean uniqueEtags = true;
    private Bug bug = Bug.NONE;
    private int bugAt = -1;

    Simulation(Kind kind, long seed) {
        this.kind = kind;
        this.random = new Random(seed);
    }

    Simulation processes(int n) {
        processes = n;
        return this;
    }

    Simulation keys(int n) {
        keys = n;
        return this;
    }

    Simulation unknownRate(double rate) {
        unknownRate = rate;
        return this;
    }

    Simulation readRate(double rate) {
        readRate = rate;
        return this;
    }

    /** The ETags the simulated store has (the model used to check may differ). */
    Simulation storeUniqueEtags(boolean unique) {
        uniqueEtags = unique;
        return this;
    }

    Simulation bug(Bug bug, int atOperation) {
        this.bug = bug;
        this.bugAt = atOperation;
        return this;
    }

    private static final class Event implements Comparable<Event> {
        final long time;
        final int type;        // 0 invoke, 1 take effect, 2 complete
        final int process;
        final Pending op;

        Event(long time, int type, int process, Pending op) {
            this.time = time;
            this.type = type;
            this.process = process;
            this.op = op;
        }

        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Integer.compare(type, o.type);
        }
    }

    private static final class Pending {
        int index;
        String key;
        Call call;
        History.Op handle;
        Response response;
        boolean unknown;
        boolean applies = true;
        long invokedAt;
        long completesAt;
    }

    /** Per key: the store's state. */
    private static final class Store {
        long counter;
        boolean present;
        String content;
        String writeId;
        String previousContent;
        String previousWriteId;
        Pending lastWriter;
    }

    /** Per process and key: the version the process last saw. */
    private static final class Seen {
        String content;
        String writeId;
        long parity;
    }

    History run(int operations) {
        AtomicLong clock = new AtomicLong();
        History history = History.create(clock::get);
        PriorityQueue<Event> events = new PriorityQueue<>();
        Map<String, Store> stores = new HashMap<>();
        Map<String, Seen> seen = new HashMap<>();
        int[] started = {0};
        int[] writes = {0};
        for (int p = 0; p < processes; p++) {
            events.add(new Event(random.nextInt(20), 0, p, null));
        }
        while (!events.isEmpty()) {
            Event e = events.poll();
            clock.set(e.time);
            switch (e.type) {
                case 0: {
                    if (started[0] >= operations) {
                        break;
                    }
                    Pending op = new Pending();
                    op.index = started[0]++;
                    op.key = "key-" + random.nextInt(keys);
                    Seen s = seen.computeIfAbsent(e.process + "/" + op.key, x -> new Seen());
                    op.call = nextCall(s, writes);
                    op.handle = history.invoke("p" + e.process, op.key, op.call);
                    op.unknown = random.nextDouble() < unknownRate;
                    long duration = 1 + random.nextInt(100);
                    long effect = e.time + 1 + random.nextInt((int) duration);
                    if (op.unknown) {
                        op.applies = random.nextDouble() < appliedWhenUnknown;
                        effect += random.nextInt(3) == 0 ? random.nextInt(300) : 0;   // a delayed request
                    }
                    op.invokedAt = e.time;
                    op.completesAt = e.time + duration + 1;
                    events.add(new Event(effect, 1, e.process, op));
                    events.add(new Event(op.completesAt, 2, e.process, op));
                    break;
                }
                case 1: {
                    Pending op = e.op;
                    Store store = stores.computeIfAbsent(op.key, x -> new Store());
                    if (op.applies) {
                        op.response = apply(store, op);
                        if (op.unknown && bug == Bug.DOUBLE_APPLY && op.index >= bugAt && op.call.name().equals(Counter.ADD)) {
                            apply(store, op);
                            bug = Bug.NONE;
                        }
                    }
                    break;
                }
                default: {
                    Pending op = e.op;
                    if (op.unknown) {
                        op.handle.unknown("response lost");
                    } else {
                        if (op.response == null) {
                            // The effect lands after completion only for unknown operations; for a
                            // definite one it was scheduled inside the interval.
                            throw new IllegalStateException("no response for " + op.call);
                        }
                        op.handle.complete(op.response);
                        learn(seen.get(e.process + "/" + op.key), op);
                    }
                    events.add(new Event(e.time + random.nextInt(10), 0, e.process, null));
                    break;
                }
            }
        }
        return history;
    }

    private Call nextCall(Seen s, int[] writes) {
        if (kind == Kind.COUNTER) {
            if (random.nextDouble() < readRate) {
                return Counter.get();
            }
            return Counter.add(s.parity++ % 2 == 0 ? 1 : -1);
        }
        double r = random.nextDouble();
        String content = String.valueOf((char) ('A' + random.nextInt(3)));
        String id = "w" + (++writes[0]);
        if (r < readRate) {
            return Register.get();
        } else if (r < readRate + 0.15) {
            return Register.put(content, id);
        } else if (r < readRate + 0.25) {
            return Register.putCreate(content, id);
        } else if (r < readRate + 0.30) {
            return Register.delete();
        } else if (s.writeId == null) {
            return Register.get();
        } else if (r < readRate + 0.40) {
            return Register.deleteIfMatch(Register.version(s.content, s.writeId));
        }
        return Register.putIfMatch(Register.version(s.content, s.writeId), content, id);
    }

    private Response apply(Store store, Pending op) {
        Call call = op.call;
        boolean buggy = op.index >= bugAt && bug != Bug.NONE && bug != Bug.DOUBLE_APPLY;
        if (kind == Kind.COUNTER) {
            if (call.name().equals(Counter.GET)) {
                return Counter.value(store.counter);
            }
            long delta = Long.parseLong(call.raw("delta"));
            if (buggy && bug == Bug.LOST_UPDATE && !op.unknown) {
                bug = Bug.NONE;
                return Counter.value(store.counter + delta);
            }
            store.counter += delta;
            return Counter.value(store.counter);
        }
        switch (call.name()) {
            case Register.GET:
                // Only where it shows: the newer write certainly completed before this read began.
                if (buggy && bug == Bug.STALE_READ && !op.unknown && store.present && store.previousWriteId != null
                        && store.lastWriter != null && !store.lastWriter.unknown && store.lastWriter.completesAt < op.invokedAt) {
                    bug = Bug.NONE;
                    return Register.found(store.previousContent, store.previousWriteId);
                }
                return store.present ? Register.found(store.content, store.writeId) : Response.refused(Response.NOT_FOUND);
            case Register.PUT:
                return write(store, op);
            case Register.PUT_CREATE:
                return store.present ? Response.refused(Response.ALREADY_EXISTS) : write(store, op);
            case Register.PUT_IF_MATCH:
                if (!store.present) {
                    return Response.refused(Response.PRECONDITION_FAILED);
                }
                return matches(store, call) ? write(store, op) : Response.refused(Response.PRECONDITION_FAILED);
            case Register.DELETE:
                if (!store.present) {
                    return Response.refused(Response.NOT_FOUND);
                }
                store.present = false;
                return Response.ok();
            default:
                if (!store.present || !matches(store, call)) {
                    return Response.refused(Response.PRECONDITION_FAILED);
                }
                store.present = false;
                return Response.ok();
        }
    }

    private boolean matches(Store store, Call call) {
        return uniqueEtags ? store.writeId.equals(call.raw("expectedWriteId")) : store.content.equals(call.raw("expectedContent"));
    }

    private static Response write(Store store, Pending op) {
        Call call = op.call;
        store.lastWriter = op;
        store.previousContent = store.content;
        store.previousWriteId = store.writeId;
        store.present = true;
        store.content = call.raw("content");
        store.writeId = call.raw("writeId");
        return Response.ok();
    }

    private static void learn(Seen s, Pending op) {
        if (op.response.kind() != Response.Kind.OK) {
            return;
        }
        String name = op.call.name();
        if (name.equals(Register.GET)) {
            s.content = op.response.raw("content");
            s.writeId = op.response.raw("writeId");
        } else if (name.equals(Register.PUT) || name.equals(Register.PUT_CREATE) || name.equals(Register.PUT_IF_MATCH)) {
            s.content = op.call.raw("content");
            s.writeId = op.call.raw("writeId");
        }
    }

    /** All operations of a history, for tests that edit them. */
    static List<Operation> ops(History h) {
        return new ArrayList<>(h.operations());
    }
}
