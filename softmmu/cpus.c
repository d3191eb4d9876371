/*
 * cpus.c — the vcpu loop around exec_cpu_run() (softmmu/cpus.h).
 *
 * A halted cpu (WFI) waits on halt_cond; whoever raises an interrupt line
 * or kicks the cpu for a run-state request signals it under halt_lock, and
 * the halted thread checks under the same lock, so no wakeup is lost.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpus.h"
#include "host/host-backend.h"
#include "device.h"
#include "main-loop.h"
#include "tlb.h"

void (*cpus_exception_hook)(CPUCommon *cpu, int excp);
const CPUsDebugger *cpus_debugger;

static pthread_mutex_t halt_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t halt_cond = PTHREAD_COND_INITIALIZER;
static bool kicked;              /* a run-state request since the loop last looked */
static CPUCommon *the_cpu;       /* the machine's one vcpu */
const CPUsRunState *cpus_runstate;
static bool vcpu_looping;        /* cpus_run is running (on vcpu_thread) */
static pthread_t vcpu_thread;

/* cpus_run_on_vcpu's queue (halt_lock) */
typedef struct VcpuWork {
    void (*fn)(CPUCommon *cpu, void *opaque);
    void *opaque;
    bool done;
    struct VcpuWork *next;
} VcpuWork;
static VcpuWork *work_queue;
static pthread_cond_t work_done_cond = PTHREAD_COND_INITIALIZER;

/* machine_set_vcpu_kick's callback (any thread). */
static void vcpu_kick(void)
{
    pthread_mutex_lock(&halt_lock);
    kicked = true;
    if (the_cpu)
        exec_cpu_kick(the_cpu);
    pthread_cond_broadcast(&halt_cond);
    pthread_mutex_unlock(&halt_lock);
}

void cpus_kick(CPUCommon *cpu)
{
    (void)cpu;      /* the machine's one vcpu */
    vcpu_kick();
}

void cpus_run_on_vcpu(void (*fn)(CPUCommon *cpu, void *opaque), void *opaque);
static void nothing(CPUCommon *cpu, void *opaque)
{
    (void)cpu, (void)opaque;
}

/* runstate_wait_vcpu: the vcpu looks at its requests before its queued
 * work, so an empty work item returns once they are carried out. */
void cpus_sync(void)
{
    cpus_run_on_vcpu(nothing, NULL);
}

CPUCommon *cpus_create(const Frontend *fe, PhysMemory *pm, const CPUsOptions *opt)
{
    static const CPUsOptions defaults;
    if (!opt)
        opt = &defaults;
    ExecConfig cfg = {
        .fe = fe,
        .be = opt->interp ? NULL : host_backend(),   /* NULL: no backend, interpreter */
        .host = &tlb_host_ops,
        .code_buffer_size = opt->code_buffer_size,
        .max_block_insns = opt->max_block_insns,
        .guest_page_bits = 12,       /* tlb.c's CODE_PAGE_BITS */
        .optimize = !opt->no_optimize,
        .softtlb = tlb_backend_layout(fe->n_mmu_idx),
        .interp_mem = &tlb_interp_mem,
    };
    if (exec_init(&cfg) < 0) {
        fputs("vemu: cannot set up the translator\n", stderr);
        return NULL;
    }
    CPUCommon *cpu = exec_cpu_new();
    tlb_cpu_init(cpu, pm);
    pthread_mutex_lock(&halt_lock);
    the_cpu = cpu;
    kicked = false;
    pthread_mutex_unlock(&halt_lock);
    machine_set_vcpu_kick(vcpu_kick);
    return cpu;
}

void cpus_destroy(CPUCommon *cpu)
{
    if (!cpu)
        return;
    pthread_mutex_lock(&halt_lock);
    if (the_cpu == cpu)
        the_cpu = NULL;
    pthread_mutex_unlock(&halt_lock);
    tlb_cpu_free(cpu);
    exec_cpu_free(cpu);
}

void cpus_set_irq(CPUCommon *cpu, uint32_t mask, int level)
{
    if (level) {
        exec_cpu_interrupt(cpu, mask);
        pthread_mutex_lock(&halt_lock);
        pthread_cond_broadcast(&halt_cond);
        pthread_mutex_unlock(&halt_lock);
    } else {
        exec_cpu_reset_interrupt(cpu, mask);
    }
}

static void irq_line_set(void *opaque, int n, int level)
{
    cpus_set_irq(opaque, (uint32_t)n, level);
}

IRQLine cpus_irq_line(CPUCommon *cpu, uint32_t mask)
{
    return irq_line(irq_line_set, cpu, (int)mask);
}

/* WFI: sleep until an interrupt line is up or a request comes. */
static void halt_wait(CPUCommon *cpu)
{
    pthread_mutex_lock(&halt_lock);
    while (!__atomic_load_n(&cpu->interrupt_request, __ATOMIC_ACQUIRE) && !kicked)
        pthread_cond_wait(&halt_cond, &halt_lock);
    pthread_mutex_unlock(&halt_lock);
}

/* -S: nothing runs until a kick (gdb attached, or a request). */
static void hold_wait(void)
{
    pthread_mutex_lock(&halt_lock);
    while (!kicked)
        pthread_cond_wait(&halt_cond, &halt_lock);
    pthread_mutex_unlock(&halt_lock);
}

void cpus_run_on_vcpu(void (*fn)(CPUCommon *cpu, void *opaque), void *opaque)
{
    pthread_mutex_lock(&halt_lock);
    if (!vcpu_looping || pthread_equal(pthread_self(), vcpu_thread) || !the_cpu) {
        CPUCommon *cpu = the_cpu;
        pthread_mutex_unlock(&halt_lock);
        fn(cpu, opaque);
        return;
    }
    VcpuWork w = { .fn = fn, .opaque = opaque };
    w.next = work_queue;
    work_queue = &w;
    kicked = true;
    exec_cpu_kick(the_cpu);
    pthread_cond_broadcast(&halt_cond);
    /* the vcpu may need the machine lock before it looks at its queue */
    machine_unlock();
    while (!w.done)
        pthread_cond_wait(&work_done_cond, &halt_lock);
    pthread_mutex_unlock(&halt_lock);
    machine_lock();
}

/* The vcpu thread, between blocks. */
static void run_queued_work(CPUCommon *cpu)
{
    pthread_mutex_lock(&halt_lock);
    while (work_queue) {
        VcpuWork *w = work_queue;
        work_queue = w->next;
        pthread_mutex_unlock(&halt_lock);
        machine_lock();
        w->fn(cpu, w->opaque);
        machine_unlock();
        pthread_mutex_lock(&halt_lock);
        w->done = true;
        pthread_cond_broadcast(&work_done_cond);
    }
    pthread_mutex_unlock(&halt_lock);
}

static void vcpu_loop_exit(void)
{
    pthread_mutex_lock(&halt_lock);
    vcpu_looping = false;
    pthread_mutex_unlock(&halt_lock);
    /* anyone still waiting gets their work done here */
    run_queued_work(the_cpu);
}

/* Machine reset: the cpu, then the devices (a board's hook may set the
 * cpu's registers for its boot code), then whatever was cached about the
 * old contents of memory (loaders rewrite it through host pointers). */
static void machine_reset(CPUCommon *cpu)
{
    cpu->fe->cpu_reset(cpu);
    machine_lock();
    device_reset_all();
    if (cpus_runstate)
        cpus_runstate->did_reset();
    machine_unlock();
    __atomic_and_fetch(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
    exec_flush_all();
    tlb_flush(cpu);
}

static int cpus_loop(CPUCommon *cpu);

int cpus_run(CPUCommon *cpu)
{
    pthread_mutex_lock(&halt_lock);
    vcpu_looping = true;
    vcpu_thread = pthread_self();
    pthread_mutex_unlock(&halt_lock);
    int status = cpus_loop(cpu);
    if (cpus_runstate) {
        machine_lock();
        cpus_runstate->did_shutdown();
        machine_unlock();
    }
    vcpu_loop_exit();
    return status;
}

static int cpus_loop(CPUCommon *cpu)
{
    bool first = true;
    for (;;) {
        pthread_mutex_lock(&halt_lock);
        bool look = kicked || first;
        kicked = false;
        pthread_mutex_unlock(&halt_lock);
        first = false;
        if (look) {
            int status = 0;
            if (machine_shutdown_requested(&status))
                return status;
            if (machine_reset_requested())
                machine_reset(cpu);
            run_queued_work(cpu);
            /* gdb attached or sent Ctrl-C */
            if (cpus_debugger && cpus_debugger->poll(cpu) < 0)
                return 0;                    /* gdb killed the machine */
        }
        if (cpus_debugger && cpus_debugger->holding()) {
            hold_wait();
            continue;
        }
        /* stop/cont (runstate.h): parked while stopped; the order of the
         * flag and the check is vm_stop's handshake */
        if (cpus_runstate) {
            cpus_runstate->parked(false);
            if (!cpus_runstate->may_run()) {
                cpus_runstate->parked(true);
                hold_wait();
                continue;
            }
        }
        int excp = exec_cpu_run(cpu);
        if (cpus_runstate)
            cpus_runstate->parked(true);
        switch (excp) {
        case EXCP_HALT:
            halt_wait(cpu);
            break;
        case EXCP_INTERRUPT:
            break;
        case EXCP_DEBUG:
            if (cpus_debugger && cpus_debugger->debug_stop(cpu) < 0)
                return 0;
            break;
        default:
            if (excp == EXCP_MEM_FAULT)
                tlb_refresh_fetch_fault(cpu);
            if (cpus_exception_hook)
                cpus_exception_hook(cpu, excp);
            if (!cpu->fe->do_exception) {
                fprintf(stderr, "vemu: exception %d at pc 0x%llx and the cpu has no way to take it\n", excp,
                        (unsigned long long)cpu->fe->get_pc(cpu));
                cpu->fe->dump_state(cpu, stderr);
                return 1;
            }
            cpu->fe->do_exception(cpu, excp);
            /* A step into an exception ends at its vector, as on hardware
             * debuggers and QEMU. */
            if (cpu->singlestep && cpus_debugger && cpus_debugger->debug_stop(cpu) < 0)
                return 0;
            break;
        }
    }
}
