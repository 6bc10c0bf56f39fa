import { expect, type Page } from "@playwright/test";

/** An admin creates a console user through the Users & teams page. */
export async function createUser(admin: Page, user: { name: string; email: string; role: string; password: string; team?: string }) {
  await admin.goto("/users");
  await admin.getByRole("button", { name: "Create user" }).first().click();
  const dialog = admin.getByRole("dialog", { name: "Create user" });
  await dialog.getByLabel("Name", { exact: true }).fill(user.name);
  await dialog.getByLabel("Email", { exact: true }).fill(user.email);
  await dialog.getByLabel("Role", { exact: true }).selectOption(user.role);
  if (user.team) await dialog.getByRole("checkbox", { name: user.team, exact: true }).check();
  await dialog.getByLabel("Initial password", { exact: true }).fill(user.password);
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByRole("cell", { name: user.email })).toBeVisible();
}
