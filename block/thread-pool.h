/*
 * thread-pool.h — a small pool of worker threads for asynchronous block
 * requests.  A request is a function run on a worker; its completion
 * callback runs on that worker too, right after it (callers that need the
 * result on their own thread hand it over themselves, e.g. through an
 * eventfd of the emulator's I/O thread).  vemu-img convert keeps several
 * requests in flight with it.
 */
#ifndef VEMU_BLOCK_THREAD_POOL_H
#define VEMU_BLOCK_THREAD_POOL_H

#include <stdint.h>
#include <sys/uio.h>

#include "block/block.h"

typedef struct ThreadPool ThreadPool;
typedef int ThreadPoolFunc(void *opaque);
typedef void ThreadPoolCompletion(void *opaque, int ret);

/* nthreads workers (1..64); max_queued bounds submissions in flight: a
 * submit blocks while that many are queued or running (0 = no bound). */
ThreadPool *thread_pool_new(int nthreads, int max_queued);
/* Waits for every request, then stops the workers. */
void thread_pool_free(ThreadPool *pool);
void thread_pool_submit(ThreadPool *pool, ThreadPoolFunc *func, void *opaque,
                        ThreadPoolCompletion *cb, void *cb_opaque);
/* Waits until every submitted request has completed. */
void thread_pool_drain(ThreadPool *pool);

/* Asynchronous block requests: iov must stay valid until cb runs. */
void bdrv_aio_preadv(ThreadPool *pool, BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                     const struct iovec *iov, int niov, ThreadPoolCompletion *cb, void *opaque);
void bdrv_aio_pwritev(ThreadPool *pool, BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      const struct iovec *iov, int niov, ThreadPoolCompletion *cb, void *opaque);

#endif
