/* builtin.h - the subcommands: one file each (cmd_*.c), registered in the
 * table of main.c. A command's return value is the process's exit code. */
#ifndef SIM_BUILTIN_H
#define SIM_BUILTIN_H

int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_discover(int argc, char **argv);
int cmd_robust(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_models(int argc, char **argv);

#endif
