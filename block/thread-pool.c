/*
 * thread-pool.c — worker threads taking requests from a FIFO queue.
 */
#include "block/thread-pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct Request {
    ThreadPoolFunc *func;
    void *opaque;
    ThreadPoolCompletion *cb;
    void *cb_opaque;
    struct Request *next;
} Request;

struct ThreadPool {
    pthread_mutex_t lock;
    pthread_cond_t work;       /* a request was queued, or stopping */
    pthread_cond_t done;       /* a request completed */
    Request *head, *tail;
    int in_flight;             /* queued + running */
    int max_queued;
    bool stopping;
    int nthreads;
    pthread_t threads[64];
};

static void *worker(void *arg)
{
    ThreadPool *pool = arg;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->head && !pool->stopping) {
            pthread_cond_wait(&pool->work, &pool->lock);
        }
        if (!pool->head) {
            break;
        }
        Request *r = pool->head;
        pool->head = r->next;
        if (!pool->head) {
            pool->tail = NULL;
        }
        pthread_mutex_unlock(&pool->lock);
        int ret = r->func(r->opaque);
        if (r->cb) {
            r->cb(r->cb_opaque, ret);
        }
        free(r);
        pthread_mutex_lock(&pool->lock);
        pool->in_flight--;
        pthread_cond_broadcast(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

ThreadPool *thread_pool_new(int nthreads, int max_queued)
{
    ThreadPool *pool = calloc(1, sizeof(*pool));
    if (nthreads < 1) {
        nthreads = 1;
    } else if (nthreads > 64) {
        nthreads = 64;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->max_queued = max_queued;
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&pool->threads[i], NULL, worker, pool) != 0) {
            break;
        }
        pool->nthreads++;
    }
    return pool;
}

void thread_pool_submit(ThreadPool *pool, ThreadPoolFunc *func, void *opaque,
                        ThreadPoolCompletion *cb, void *cb_opaque)
{
    if (pool->nthreads == 0) {   /* no worker could start: run inline */
        int ret = func(opaque);
        if (cb) {
            cb(cb_opaque, ret);
        }
        return;
    }
    Request *r = malloc(sizeof(*r));
    *r = (Request){ func, opaque, cb, cb_opaque, NULL };
    pthread_mutex_lock(&pool->lock);
    while (pool->max_queued && pool->in_flight >= pool->max_queued) {
        pthread_cond_wait(&pool->done, &pool->lock);
    }
    if (pool->tail) {
        pool->tail->next = r;
    } else {
        pool->head = r;
    }
    pool->tail = r;
    pool->in_flight++;
    pthread_cond_signal(&pool->work);
    pthread_mutex_unlock(&pool->lock);
}

void thread_pool_drain(ThreadPool *pool)
{
    pthread_mutex_lock(&pool->lock);
    while (pool->in_flight) {
        pthread_cond_wait(&pool->done, &pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
}

void thread_pool_free(ThreadPool *pool)
{
    if (!pool) {
        return;
    }
    thread_pool_drain(pool);
    pthread_mutex_lock(&pool->lock);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->work);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->nthreads; i++) {
        pthread_join(pool->threads[i], NULL);
    }
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->work);
    pthread_cond_destroy(&pool->done);
    free(pool);
}

typedef struct AioReq {
    BlockDriverState *bs;
    uint64_t offset, bytes;
    const struct iovec *iov;
    int niov;
    bool write;
    ThreadPoolCompletion *cb;
    void *opaque;
} AioReq;

static int aio_run(void *opaque)
{
    AioReq *r = opaque;
    return r->write ? bdrv_pwritev(r->bs, r->offset, r->bytes, r->iov, r->niov)
                    : bdrv_preadv(r->bs, r->offset, r->bytes, r->iov, r->niov);
}

static void aio_done(void *opaque, int ret)
{
    AioReq *r = opaque;
    if (r->cb) {
        r->cb(r->opaque, ret);
    }
    free(r);
}

static void aio_submit(ThreadPool *pool, BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const struct iovec *iov, int niov, bool write,
                       ThreadPoolCompletion *cb, void *opaque)
{
    AioReq *r = malloc(sizeof(*r));
    *r = (AioReq){ bs, offset, bytes, iov, niov, write, cb, opaque };
    thread_pool_submit(pool, aio_run, r, aio_done, r);
}

void bdrv_aio_preadv(ThreadPool *pool, BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     const struct iovec *iov, int niov, ThreadPoolCompletion *cb, void *opaque)
{
    aio_submit(pool, bs, offset, bytes, iov, niov, false, cb, opaque);
}

void bdrv_aio_pwritev(ThreadPool *pool, BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov, ThreadPoolCompletion *cb, void *opaque)
{
    aio_submit(pool, bs, offset, bytes, iov, niov, true, cb, opaque);
}
