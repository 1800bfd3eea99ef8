/** One copy of inversify for broom and its plugins: import it from here. */
import 'reflect-metadata';
export * from 'inversify';
