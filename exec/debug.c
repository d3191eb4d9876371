/*
 * debug.c — breakpoints and single-stepping for the gdbstub.
 *
 * Rather than planting traps in generated code, debugging switches the
 * engine into a mode where no block is chained and every block goes
 * through the cpu loop, which checks its pc (see exec.h).  While a cpu
 * single-steps every block is one guest instruction; with breakpoints
 * alone, blocks end before each breakpoint pc (exec/translator.c), so a
 * breakpoint always starts a block.  Any change flushes the translation
 * cache so no block translated under other rules survives it.
 */
#include "tb.h"

/* Flush when the rules blocks were translated under change: debug mode on
 * or off, single-stepping on or off (one instruction per block), or, with
 * multi-instruction blocks, a new breakpoint (blocks must end before it). */
static void debug_mode_update(bool new_breakpoint)
{
    static bool stepping;
    bool active = exec_state.n_breakpoints || exec_state.n_singlestep;
    bool step = exec_state.n_singlestep > 0;
    if (active != exec_state.debug_active || step != stepping || (new_breakpoint && !step)) {
        exec_state.debug_active = active;
        stepping = step;
        exec_flush_all();
    }
}

int exec_breakpoint_insert(uint64_t pc)
{
    pthread_mutex_lock(&exec_state.lock);
    for (unsigned i = 0; i < exec_state.n_breakpoints; i++)
        if (exec_state.breakpoints[i] == pc) {
            pthread_mutex_unlock(&exec_state.lock);
            return 0;
        }
    unsigned max = sizeof(exec_state.breakpoints) / sizeof(exec_state.breakpoints[0]);
    if (exec_state.n_breakpoints == max) {
        pthread_mutex_unlock(&exec_state.lock);
        return -1;
    }
    exec_state.breakpoints[exec_state.n_breakpoints++] = pc;
    pthread_mutex_unlock(&exec_state.lock);
    debug_mode_update(true);
    return 0;
}

int exec_breakpoint_remove(uint64_t pc)
{
    int found = -1;
    pthread_mutex_lock(&exec_state.lock);
    for (unsigned i = 0; i < exec_state.n_breakpoints; i++)
        if (exec_state.breakpoints[i] == pc) {
            exec_state.breakpoints[i] = exec_state.breakpoints[--exec_state.n_breakpoints];
            found = 0;
            break;
        }
    pthread_mutex_unlock(&exec_state.lock);
    debug_mode_update(false);
    return found;
}

void exec_breakpoint_remove_all(void)
{
    pthread_mutex_lock(&exec_state.lock);
    exec_state.n_breakpoints = 0;
    pthread_mutex_unlock(&exec_state.lock);
    debug_mode_update(false);
}

void exec_cpu_set_singlestep(CPUCommon *cpu, bool on)
{
    if (!!cpu->singlestep == on)
        return;
    cpu->singlestep = on;
    pthread_mutex_lock(&exec_state.lock);
    if (on)
        exec_state.n_singlestep++;
    else
        exec_state.n_singlestep--;
    pthread_mutex_unlock(&exec_state.lock);
    debug_mode_update(false);
}

/* Called by the loop before running a block at pc in debug mode. */
bool exec_debug_stop_before(CPUCommon *cpu, uint64_t pc)
{
    if (cpu->debug_skip_valid && cpu->debug_skip_pc == pc) {
        cpu->debug_skip_valid = 0;
        return false;
    }
    cpu->debug_skip_valid = 0;
    bool hit = false;
    pthread_mutex_lock(&exec_state.lock);
    for (unsigned i = 0; i < exec_state.n_breakpoints; i++)
        if (exec_state.breakpoints[i] == pc)
            hit = true;
    pthread_mutex_unlock(&exec_state.lock);
    if (hit) {
        cpu->debug_skip_valid = 1;   /* continuing from here runs this insn */
        cpu->debug_skip_pc = pc;
    }
    return hit;
}
