/*
 * clcd-pattern.c — a bare-metal program for the Versatile PB (linked at
 * 0x8000, MMU off) that shows the CLCD in every pixel format the display
 * converts: for each mode it fills a 320x240 frame at 0x200000 and the
 * palette with pseudo-random bytes, programs the timing, the control
 * register and the board's 16 bpp multiplexer (SYS_CLCD bits 1:0), prints
 * "READY <n>" on UART0 and waits for a byte on UART0 before the next
 * mode.  The test (run.sh) takes a screendump at each READY from vemu and
 * from qemu-system-arm and compares them pixel by pixel.  After the last
 * mode it prints "DONE", enables both KMIs (PL050: keyboard on KMI0,
 * mouse on KMI1, whose reporting it turns on with 0xF4), prints "KMI" and
 * then every byte either sends as "K xx" or "M xx" until a byte arrives
 * on UART0; then it resets the board (which ends the emulator under
 * -no-reboot).
 * Built with -ffreestanding -nostdlib; _start only sets the stack.
 */
typedef unsigned int u32;
typedef unsigned char u8;

#define UART   ((volatile u32 *)0x101f1000)
#define SYS    ((volatile u32 *)0x10000000)
#define CLCD   ((volatile u32 *)0x10120000)
#define KMI0   ((volatile u32 *)0x10006000)
#define KMI1   ((volatile u32 *)0x10007000)
#define FB     0x200000u
#define WIDTH  320
#define HEIGHT 240

#define EN   (1u << 0)
#define TFT  (1u << 5)
#define BGR  (1u << 8)
#define BEBO (1u << 9)
#define BEPO (1u << 10)
#define PWR  (1u << 11)

static const struct {
    u32 bpp;     /* LcdBpp */
    u32 bits;    /* BGR, BEBO, BEPO */
    u32 mux;     /* SYS_CLCD bits 1:0 */
} modes[] = {
    { 5, 0, 0 },    { 5, BGR, 0 },  { 4, 0, 2 },    { 4, BGR, 2 },  { 4, 0, 3 },   { 4, 0, 1 },
    { 4, BGR, 0 },  { 3, 0, 0 },    { 3, BGR, 0 },  { 2, 0, 0 },    { 1, 0, 0 },   { 0, 0, 0 },
    { 2, BEPO, 0 }, { 4, BEBO, 2 }, { 5, BEBO, 0 }, { 0, BEBO, 0 }, { 1, BEPO, 0 },
};

static void putc_(char c)
{
    while (UART[0x18 / 4] & (1u << 5))   /* TXFF */
        ;
    UART[0] = (u32)c;
}

static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

static void wait_byte(void)
{
    while (UART[0x18 / 4] & (1u << 4))   /* RXFE */
        ;
    (void)UART[0];
}

static void hex8(u32 v)
{
    putc_("0123456789abcdef"[(v >> 4) & 15]);
    putc_("0123456789abcdef"[v & 15]);
}

/* a byte from a KMI, printed: "K xx\r\n" */
static void kmi_poll(volatile u32 *kmi, char tag)
{
    if (kmi[1] & (1u << 4)) {   /* KMISTAT RXFULL */
        putc_(tag);
        putc_(' ');
        hex8(kmi[2]);            /* KMIDATA */
        puts_("\r\n");
    }
}

static u32 seed;
static u32 rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return seed;
}

void cmain(void)
{
    UART[0x30 / 4] = 0x301;   /* UARTEN | TXE | RXE */
    for (u32 m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        seed = 0x12345678u + m * 7919u;
        CLCD[0x18 / 4] = 0;                       /* off while it changes */
        volatile u32 *fb = (volatile u32 *)FB;
        for (u32 i = 0; i < WIDTH * HEIGHT; i++)  /* enough for 32 bpp */
            fb[i] = rnd();
        for (u32 i = 0; i < 128; i++)
            CLCD[(0x200 + 4 * i) / 4] = rnd();
        CLCD[0] = ((WIDTH / 16 - 1) << 2);        /* PPL */
        CLCD[1] = HEIGHT - 1;                     /* LPP */
        CLCD[2] = 0;
        CLCD[3] = 0;
        CLCD[0x10 / 4] = FB;
        SYS[0x50 / 4] = modes[m].mux;
        CLCD[0x18 / 4] = EN | TFT | PWR | (modes[m].bpp << 1) | modes[m].bits;
        puts_("READY ");
        if (m >= 10)
            putc_((char)('0' + m / 10));
        putc_((char)('0' + m % 10));
        puts_("\r\n");
        wait_byte();
    }
    puts_("DONE\r\n");
    KMI0[0] = 1u << 2;           /* KMICR: KmiEn */
    KMI1[0] = 1u << 2;
    while (!(KMI1[1] & (1u << 6)))   /* TXEMPTY */
        ;
    KMI1[2] = 0xF4;              /* mouse: enable data reporting */
    puts_("KMI\r\n");
    while (UART[0x18 / 4] & (1u << 4)) {
        kmi_poll(KMI0, 'K');
        kmi_poll(KMI1, 'M');
    }
    SYS[0x20 / 4] = 0xa05f;   /* SYS_LOCK: unlock */
    SYS[0x40 / 4] = 0x105;    /* SYS_RESETCTL: reset */
    for (;;)
        ;
}

__asm__(".global _start\n"
        "_start:\n"
        "  ldr sp, =0x100000\n"
        "  bl cmain\n"
        "1: b 1b\n");
