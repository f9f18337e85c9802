import type { Metadata } from "next";
import { TextLink } from "@/components/text-link";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Create account" };

export default function RegisterPage() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Create account</h1>
      <p className="mt-1 text-sm text-muted">One account, every device under your control.</p>
      <RegisterForm />
      <p className="mt-6 text-center text-sm text-muted">
        Already have an account? <TextLink href="/login">Sign in</TextLink>
      </p>
    </>
  );
}
