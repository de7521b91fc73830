/*
 * netdelay — a tiny userspace link emulator (one-way delay + random loss) on top of NFQUEUE.
 *
 * Used by the test fleet only when the kernel has no sch_netem (CONFIG_NET_SCH_NETEM unset).
 * It runs inside the fleet's bridge namespace; iptables there sends every bridged IPv4 packet
 * (br_netfilter, FORWARD chain) to queue <qnum>. A packet from S to D is held for
 * delay(S) + delay(D) and dropped with probability 1 - (1 - loss(S)) * (1 - loss(D)), i.e.
 * exactly what a netem on S's uplink plus a netem on D's downlink would do.
 *
 * usage: netdelay <queue-num> <config-file>
 * config-file lines: "<ipv4> <delay_us> <loss_ppm>"; re-read on SIGHUP. Prints "ready" when bound.
 * Plain netlink, no libnetfilter_queue needed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define MAXHOSTS 1024

struct link { uint32_t ip; uint64_t delay_ns; uint32_t loss_ppm; };
static struct link links[MAXHOSTS];
static int nlinks;
static const char *cfg_path;
static volatile sig_atomic_t hup = 1, stop = 0;
static int fd;
static uint16_t qnum;

struct held { uint64_t at; uint64_t seq; uint32_t id; };
static struct held *heap;
static size_t heap_n, heap_cap;
static uint64_t seq;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng_state;
static uint32_t rnd_ppm(void) { /* xorshift64*, uniform in [0, 1e6) */
  rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
  return (uint32_t)(((rng_state * 2685821657736338717ull) >> 32) % 1000000u);
}

static void load_config(void) {
  FILE *f = fopen(cfg_path, "r");
  if (!f) { fprintf(stderr, "netdelay: cannot open %s: %s\n", cfg_path, strerror(errno)); return; }
  char line[256]; int n = 0;
  while (n < MAXHOSTS && fgets(line, sizeof line, f)) {
    char ip[64]; unsigned long long d; unsigned long l;
    if (line[0] == '#' || sscanf(line, "%63s %llu %lu", ip, &d, &l) != 3) continue;
    struct in_addr a;
    if (inet_pton(AF_INET, ip, &a) != 1) continue;
    links[n].ip = a.s_addr; links[n].delay_ns = d * 1000ull; links[n].loss_ppm = (uint32_t)l; n++;
  }
  fclose(f);
  nlinks = n;
}

static const struct link *find(uint32_t ip) {
  for (int i = 0; i < nlinks; i++) if (links[i].ip == ip) return &links[i];
  return NULL;
}

static int before(const struct held *a, const struct held *b) {
  return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}
static void heap_push(struct held h) {
  if (heap_n == heap_cap) {
    heap_cap = heap_cap ? heap_cap * 2 : 4096;
    heap = realloc(heap, heap_cap * sizeof *heap);
    if (!heap) { perror("realloc"); exit(1); }
  }
  size_t i = heap_n++;
  heap[i] = h;
  while (i) { size_t p = (i - 1) / 2; if (!before(&heap[i], &heap[p])) break; struct held t = heap[i]; heap[i] = heap[p]; heap[p] = t; i = p; }
}
static struct held heap_pop(void) {
  struct held top = heap[0];
  heap[0] = heap[--heap_n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_n && before(&heap[l], &heap[m])) m = l;
    if (r < heap_n && before(&heap[r], &heap[m])) m = r;
    if (m == i) break;
    struct held t = heap[i]; heap[i] = heap[m]; heap[m] = t; i = m;
  }
  return top;
}

/* ---- netlink helpers ---- */
static char out[65536];
static size_t out_len;

static void flush_out(void) {
  size_t off = 0;
  while (off < out_len) {
    ssize_t r = send(fd, out + off, out_len - off, 0);
    if (r < 0) { if (errno == EINTR) continue; if (errno == ENOBUFS || errno == EAGAIN) { usleep(100); continue; } perror("netdelay: send"); exit(1); }
    break; /* a netlink datagram is sent whole */
  }
  out_len = 0;
}

static void add_attr(struct nlmsghdr *nh, uint16_t type, const void *data, uint16_t len) {
  struct nlattr *a = (struct nlattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));
  a->nla_type = type; a->nla_len = (uint16_t)(NLA_HDRLEN + len);
  memcpy((char *)a + NLA_HDRLEN, data, len);
  nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlmsghdr *begin(char *buf, uint16_t msgtype, uint16_t flags) {
  struct nlmsghdr *nh = (struct nlmsghdr *)buf;
  memset(buf, 0, NLMSG_LENGTH(sizeof(struct nfgenmsg)));
  nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  nh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msgtype;
  nh->nlmsg_flags = NLM_F_REQUEST | flags;
  struct nfgenmsg *g = NLMSG_DATA(nh);
  g->nfgen_family = AF_UNSPEC; g->version = NFNETLINK_V0; g->res_id = htons(qnum);
  return nh;
}

static void config_msg(uint16_t attr, const void *data, uint16_t len) {
  char buf[256];
  struct nlmsghdr *nh = begin(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
  add_attr(nh, attr, data, len);
  if (send(fd, buf, nh->nlmsg_len, 0) < 0) { perror("netdelay: config send"); exit(1); }
  char rb[4096];
  ssize_t r = recv(fd, rb, sizeof rb, 0);
  if (r < 0) { perror("netdelay: config recv"); exit(1); }
  struct nlmsghdr *rh = (struct nlmsghdr *)rb;
  if (rh->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr *e = NLMSG_DATA(rh);
    if (e->error) { fprintf(stderr, "netdelay: config attr %u: %s\n", attr, strerror(-e->error)); exit(1); }
  }
}

static void verdict(uint32_t id, uint32_t v) {
  if (out_len + 64 > sizeof out) flush_out();
  struct nlmsghdr *nh = begin(out + out_len, NFQNL_MSG_VERDICT, 0);
  struct nfqnl_msg_verdict_hdr vh = { htonl(v), htonl(id) };
  add_attr(nh, NFQA_VERDICT_HDR, &vh, sizeof vh);
  out_len += NLMSG_ALIGN(nh->nlmsg_len);
}

static void on_packet(struct nlmsghdr *nh, uint64_t now) {
  struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
  int rem = (int)nh->nlmsg_len - (int)((char *)a - (char *)nh);
  uint32_t id = 0; int have_id = 0; const uint8_t *pl = NULL; int pll = 0;
  while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
    uint16_t t = a->nla_type & NLA_TYPE_MASK;
    if (t == NFQA_PACKET_HDR) { struct nfqnl_msg_packet_hdr *ph = (void *)((char *)a + NLA_HDRLEN); id = ntohl(ph->packet_id); have_id = 1; }
    else if (t == NFQA_PAYLOAD) { pl = (const uint8_t *)a + NLA_HDRLEN; pll = a->nla_len - NLA_HDRLEN; }
    rem -= NLA_ALIGN(a->nla_len);
    a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
  }
  if (!have_id) return;
  uint64_t d = 0;
  if (pl && pll >= 20 && (pl[0] >> 4) == 4) {
    uint32_t src, dst;
    memcpy(&src, pl + 12, 4); memcpy(&dst, pl + 16, 4);
    const struct link *s = find(src), *t = find(dst);
    if (s) { if (s->loss_ppm && rnd_ppm() < s->loss_ppm) { verdict(id, NF_DROP); return; } d += s->delay_ns; }
    if (t) { if (t->loss_ppm && rnd_ppm() < t->loss_ppm) { verdict(id, NF_DROP); return; } d += t->delay_ns; }
  }
  if (d == 0 && heap_n == 0) { verdict(id, NF_ACCEPT); return; }
  heap_push((struct held){ now + d, seq++, id });
}

static void on_hup(int s) { (void)s; hup = 1; }
static void on_term(int s) { (void)s; stop = 1; }

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: netdelay <queue-num> <config-file>\n"); return 2; }
  qnum = (uint16_t)atoi(argv[1]);
  cfg_path = argv[2];
  rng_state = now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
  if (!rng_state) rng_state = 1;

  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (fd < 0) { perror("netdelay: socket"); return 1; }
  int sz = 16 << 20, one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz);
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("netdelay: bind"); return 1; }

  struct nfqnl_msg_config_cmd cmd = { NFQNL_CFG_CMD_BIND, 0, htons(AF_INET) };
  config_msg(NFQA_CFG_CMD, &cmd, sizeof cmd);
  struct nfqnl_msg_config_params params = { htonl(20), NFQNL_COPY_PACKET };
  config_msg(NFQA_CFG_PARAMS, &params, sizeof params);
  uint32_t maxlen = htonl(200000);
  config_msg(NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen);

  struct sigaction act = { 0 };
  act.sa_handler = on_hup; sigaction(SIGHUP, &act, NULL);
  act.sa_handler = on_term; sigaction(SIGTERM, &act, NULL); sigaction(SIGINT, &act, NULL);
  sigset_t block, orig;
  sigemptyset(&block); sigaddset(&block, SIGHUP); sigaddset(&block, SIGTERM); sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &orig);

  printf("ready\n");
  fflush(stdout);

  static char buf[1 << 20];
  while (!stop) {
    if (hup) { hup = 0; load_config(); }
    uint64_t now = now_ns();
    while (heap_n && heap[0].at <= now) verdict(heap_pop().id, NF_ACCEPT);
    if (out_len) flush_out();

    struct timespec ts, *tsp = NULL;
    if (heap_n) { uint64_t w = heap[0].at - now; ts.tv_sec = (time_t)(w / 1000000000ull); ts.tv_nsec = (long)(w % 1000000000ull); tsp = &ts; }
    struct pollfd pfd = { fd, POLLIN, 0 };
    int pr = ppoll(&pfd, 1, tsp, &orig);
    if (pr < 0 && errno != EINTR) { perror("netdelay: ppoll"); return 1; }
    if (pr <= 0) continue;
    for (int rounds = 0; rounds < 64; rounds++) {
      ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r < 0) { if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break; if (errno == ENOBUFS) continue; perror("netdelay: recv"); return 1; }
      now = now_ns();
      int len = (int)r;
      for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
        if (nh->nlmsg_type == ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET)) on_packet(nh, now);
      }
    }
  }
  /* let held packets through on a clean stop */
  while (heap_n) verdict(heap_pop().id, NF_ACCEPT);
  if (out_len) flush_out();
  return 0;
}
