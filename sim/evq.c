/* evq.c - dispatch of the event queue to the wheel or the reference heap.
 *
 * A switch on 'kind' rather than function pointers: the branch is perfectly
 * predicted within a run and lets the compiler inline both backends.
 */
#include "sim/evq.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/heap.h"
#include "sim/wheel.h"
#include "sim/xalloc.h"

struct evq {
    enum evq_kind kind;
    uint64_t next_seq;      /* per-run arm counter */
    struct wheel *wheel;    /* EVQ_WHEEL */
    struct heap heap;       /* EVQ_HEAP */
};

struct evq *evq_new(enum evq_kind kind, unsigned wheel_shift)
{
    struct evq *q = xcalloc(1, sizeof(*q));

    q->kind = kind;
    heap_init(&q->heap);
    if (kind == EVQ_WHEEL)
        q->wheel = wheel_new(wheel_shift);
    return q;
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    wheel_free(q->wheel);
    heap_fini(&q->heap);
    free(q);
}

void evq_arm(struct evq *q, struct timer *t, simtime due, timer_fn *fn)
{
    evq_arm_seq(q, t, due, q->next_seq++, fn);
}

uint64_t evq_take_seq(struct evq *q)
{
    return q->next_seq++;
}

void evq_arm_seq(struct evq *q, struct timer *t, simtime due, uint64_t seq, timer_fn *fn)
{
    assert(!timer_is_armed(t) && seq < q->next_seq);
    t->due = due;
    t->seq = seq;
    t->fn = fn;
    if (q->kind == EVQ_WHEEL)
        wheel_insert(q->wheel, t);
    else
        heap_push(&q->heap, t);
}

void evq_cancel(struct evq *q, struct timer *t)
{
    if (!timer_is_armed(t))
        return;
    if (q->kind == EVQ_WHEEL)
        wheel_remove(q->wheel, t);
    else
        heap_remove(&q->heap, t);
}

struct timer *evq_peek(struct evq *q)
{
    return q->kind == EVQ_WHEEL ? wheel_peek(q->wheel) : heap_peek(&q->heap);
}

void evq_take(struct evq *q, struct timer *t)
{
    if (q->kind == EVQ_WHEEL)
        wheel_take(q->wheel, t);
    else
        heap_pop(&q->heap);
}

struct timer *evq_pop(struct evq *q)
{
    struct timer *t = evq_peek(q);

    if (t)
        evq_take(q, t);
    return t;
}

size_t evq_size(const struct evq *q)
{
    return q->kind == EVQ_WHEEL ? wheel_size(q->wheel) : q->heap.n;
}

uint64_t evq_arms(const struct evq *q)
{
    return q->next_seq;
}
