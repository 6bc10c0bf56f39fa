/** The trend's day key: UTC calendar day (evaluations of one day overwrite that day's row). */
export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}
