/*
 * timeit - run a command RUNS times and say how long one run took and how
 * much memory it held, without a shell in between (a shell's own fork
 * would blur a one-millisecond process).
 *
 *	timeit [-n RUNS] [-w WARMUP] [-i INPUT] [-o OUTPUT] COMMAND [ARG...]
 *
 * Writes one line to stdout:
 *	runs=N mean_ms=M median_ms=D min_ms=L maxrss_kb=K cpu_ms=C
 * C is the mean processor time (user and system) of a run: the command's
 * and that of the children it waited for.
 * Every run reads INPUT (default /dev/null) and writes OUTPUT (default
 * /dev/null); stderr is left alone. Exits 1 if any run fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One run: wall milliseconds, or -1 if it could not run or failed. */
static double
run(char **argv, const char *in, const char *out, long *maxrss, double *cpu)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int status;
	double t0, t1;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	t0 = now_ms();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		perror(argv[0]);
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return -1;
	}
	t1 = now_ms();
	posix_spawn_file_actions_destroy(&fa);
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	*cpu += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: %s: exit status %d\n", argv[0],
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	int runs = 1, warm = 0, c;
	long maxrss = 0;
	double *ms, sum = 0, cpu = 0, warm_cpu = 0;

	while ((c = getopt(argc, argv, "+n:w:i:o:")) != -1) {
		switch (c) {
		case 'n': runs = atoi(optarg); break;
		case 'w': warm = atoi(optarg); break;
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		default: goto usage;
		}
	}
	if (optind >= argc || runs < 1 || warm < 0)
		goto usage;
	argv += optind;
	for (int i = 0; i < warm; i++)
		if (run(argv, in, out, &maxrss, &warm_cpu) < 0)
			return 1;
	ms = calloc((size_t)runs, sizeof *ms);
	if (!ms)
		return 1;
	for (int i = 0; i < runs; i++) {
		ms[i] = run(argv, in, out, &maxrss, &cpu);
		if (ms[i] < 0) {
			free(ms);
			return 1;
		}
		sum += ms[i];
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp);
	printf("runs=%d mean_ms=%.3f median_ms=%.3f min_ms=%.3f maxrss_kb=%ld cpu_ms=%.3f\n",
	       runs, sum / runs, ms[runs / 2], ms[0], maxrss, cpu / runs);
	free(ms);
	return fflush(stdout) == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] [-i INPUT] [-o OUTPUT] COMMAND [ARG...]\n");
	return 2;
}
